"""What the API accepts before a view looks at it: JSON bodies (size, nesting, shape, NUL
characters) and query parameters (only those a list endpoint takes).

Every refusal is an ``ApplicationError``, so it reaches the client as
``{"message", "extra"}`` with a 400 (413 for a body too large), never as a 500 or as
Django's HTML error page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.pagination import BasePagination
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings

from dialer_console.errors import ApplicationError, body_too_large

# \u0000 preceded by an even number of backslashes: an escaped NUL, not the text "\u0000".
_JSON_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")

# Query parameters of the paginators, named by their class attributes.
_PAGINATION_PARAMETER_ATTRIBUTES = (
    "page_query_param",
    "page_size_query_param",
    "cursor_query_param",
    "limit_query_param",
    "offset_query_param",
)


def body_max_bytes(view: Any) -> int:
    """The largest body ``view`` takes: its ``max_body_bytes`` (bulk endpoints), otherwise
    Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` as for every form."""
    return getattr(view, "max_body_bytes", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BulkBodyMixin:
    """For an endpoint documented for 10,000 items: bodies up to ``API_BULK_MAX_BYTES``."""

    @property
    def max_body_bytes(self) -> int:
        return settings.API_BULK_MAX_BYTES


def json_nesting_exceeds(data: Any, max_depth: int) -> bool:
    """Whether arrays and objects in parsed JSON nest deeper than ``max_depth``. Walked
    with a stack: code that later recurses over the data (serializers, the JSON encoder
    of a JSONField) would otherwise meet a RecursionError."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JsonObjectParser(BaseParser):
    """The API's JSON parser. Unlike DRF's ``JSONParser`` it reads the body itself, so
    each endpoint's own size limit applies instead of Django's one limit for every
    request; and it takes only a JSON object (every endpoint's body is one), nested at
    most ``API_JSON_MAX_DEPTH`` deep, without NUL characters (PostgreSQL cannot store
    them)."""

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None) -> dict:
        context = parser_context or {}
        max_bytes = body_max_bytes(context.get("view"))
        request = context.get("request")
        if request is not None and _declared_length(request) > max_bytes:
            raise body_too_large(max_bytes)
        raw = stream.read(max_bytes + 1) if stream is not None else b""
        if len(raw) > max_bytes:
            raise body_too_large(max_bytes)
        return json_object_load(raw, encoding=context.get("encoding", settings.DEFAULT_CHARSET))


def json_object_load(raw: bytes, *, encoding: str = "utf-8") -> dict:
    """``raw`` as a JSON object, or an ``ApplicationError`` that says what is wrong."""
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise ApplicationError(
            _("The body is not valid %(encoding)s text.") % {"encoding": encoding},
            {"code": "malformed_json"},
        ) from error
    if "\\u0000" in text and _JSON_ESCAPED_NUL.search(text):
        raise ApplicationError(
            _("The JSON body contains a NUL character (\\u0000), which is not accepted."),
            {"code": "nul_character"},
        )
    max_depth = settings.API_JSON_MAX_DEPTH
    too_deep = ApplicationError(
        _("The JSON body nests arrays and objects deeper than %(max_depth)s levels.")
        % {"max_depth": max_depth},
        {"code": "too_deep", "max_depth": max_depth},
    )
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as error:  # Python's parser recurses once per level
        raise too_deep from error
    except ValueError as error:
        raise ApplicationError(
            _("The body is not valid JSON: %(error)s") % {"error": error},
            {"code": "malformed_json"},
        ) from error
    if isinstance(data, dict | list) and json_nesting_exceeds(data, max_depth):
        raise too_deep
    if not isinstance(data, dict):
        raise ApplicationError(
            _("The JSON body must be an object ({...}), not %(value)s.")
            % {"value": _json_kind(data)},
            {"code": "not_an_object"},
        )
    return data


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    return "a number"


def query_params_refuse_unknown(
    request: Request, *, known: Iterable[str] = (), paginator: BasePagination | None = None
) -> None:
    """Refuse a list request with a query parameter the list does not take: a misspelt or
    unsupported filter would otherwise be ignored and the whole list returned."""
    optional = [api_settings.URL_FORMAT_OVERRIDE]
    optional += [getattr(paginator, name, None) for name in _PAGINATION_PARAMETER_ATTRIBUTES]
    allowed = {*known, *filter(None, optional)}
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        names = ", ".join(unknown)
        raise ApplicationError(
            ngettext(
                "Unknown query parameter: %(names)s. This list takes: %(allowed)s.",
                "Unknown query parameters: %(names)s. This list takes: %(allowed)s.",
                len(unknown),
            )
            % {"names": names, "allowed": ", ".join(sorted(allowed))},
            {"code": "unknown_query_parameters", "unknown": unknown, "allowed": sorted(allowed)},
        )
