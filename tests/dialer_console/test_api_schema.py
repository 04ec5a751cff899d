"""The OpenAPI document is valid OpenAPI 3, its pages render, and token auth works."""

import re

import pytest
import yaml
from openapi_spec_validator import validate


@pytest.mark.django_db
def test_schema_is_valid_openapi_3(supervisor_client):
    response = supervisor_client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate(document)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_render_from_local_static_files(supervisor_client, page):
    response = supervisor_client.get(page)
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
    # Offline: no font, script or style from another host.
    assert not re.search(rb"""(src|href)=["']?(https?:)?//""", response.content)


@pytest.mark.django_db
def test_token_login_then_schema_then_revoke(api_client, supervisor):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": supervisor.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 200, response.data
    token = response.data["token"]
    assert response.data["expiry"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/schema/").status_code == 200
    assert api_client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert api_client.get("/api/schema/").status_code == 401


@pytest.mark.django_db
def test_wrong_password_gets_no_token(api_client, supervisor):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": supervisor.username, "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.data


@pytest.mark.django_db
def test_expired_token_is_refused(api_client, supervisor):
    from datetime import timedelta

    from accounts.services import api_token_create

    _, token = api_token_create(user=supervisor, ttl=timedelta(seconds=-1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/schema/").status_code == 401
