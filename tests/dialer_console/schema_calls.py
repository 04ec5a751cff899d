"""Calling the API through schemathesis, in-process: the generated OpenAPI document, the
checks every reply must pass, and a role's credentials."""

from __future__ import annotations

from dataclasses import dataclass, field

import schemathesis
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def api_schema(*, config: dict | None = None) -> schemathesis.BaseSchema:
    """The document /api/schema/ serves; its requests go to Django's WSGI application in
    this thread, so they run inside the test's transaction."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        document, config=schemathesis.Config.from_dict(config or {})
    )
    loaded.app = get_wsgi_application()
    return loaded


@dataclass(frozen=True)
class Credentials:
    """What a role's requests carry: headers, and for a session the cookies."""

    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


def session_credentials(user) -> Credentials:
    """Logged in as the suite's fixtures do, with the CSRF cookie and header a browser
    sends, so unsafe methods get past DRF's CSRF check to the operation itself."""
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return Credentials(headers={"X-CSRFToken": csrf}, cookies=cookies)


def token_credentials(user) -> Credentials:
    return Credentials(headers={"Authorization": f"Token {api_token_create(user=user)[1]}"})


def call_and_validate(case, credentials: Credentials):
    """Send ``case`` with the role's credentials; its reply must pass ``CHECKS``."""
    return case.call_and_validate(
        headers=credentials.headers, cookies=credentials.cookies, checks=CHECKS
    )


def call_operation(schema, method: str, path: str, credentials: Credentials, **case_kwargs):
    """One request to a documented operation, its reply checked against the document."""
    if "body" in case_kwargs:
        case_kwargs.setdefault("media_type", "application/json")
    return call_and_validate(schema[path][method].Case(**case_kwargs), credentials)
