"""Masks credentials in everything the call log keeps: URL, headers, bodies, errors.

By structure first: a JSON body (request or reply) is parsed and masked by key and by
value at any depth, a form body and the query string are parsed and masked field by field,
headers by name. Then every remaining text is searched for each secret in every encoding
it can take on the wire (raw, JSON-escaped, percent-encoded), because a secret with a
quote or a backslash looks different once a JSON encoder or a URL has escaped it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

import httpx

REDACTED = "[redacted]"
# Shorter values are not searched for in free text: they would mask innocent digits.
MIN_SECRET_CHARS = 4
# Larger bodies are masked as text only (bulk pushes can be megabytes).
PARSE_MAX_BYTES = 1_000_000
# The call log keeps 2,000 characters: only a head of this size is masked and returned, and
# only so many items of each JSON list (a 3,000-lead push is masked in milliseconds).
TEXT_MAX_CHARS = 16_000
LIST_ITEMS_KEPT = 100

# Headers whose values are secrets whatever they hold.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "apikey",
        "api-key",
        "x-api-key",
        "x-access-token",
        "x-key",
        "x-webitel-access",
        "cookie",
        "set-cookie",
    }
)

# Keys whose values are secrets whatever they hold, in JSON bodies, forms and query
# strings: tokens a vendor hands out at run time (a login reply's access_token, Webitel's
# key) are not known to the redactor in advance. Compared case-insensitively.
SECRET_KEYS = frozenset(
    {"access_token", "refresh_token", "token", "password", "apikey", "api_key", "x_key", "key"}
)
# For text that is not parseable (a truncated or malformed body, an error string).
_KEYS_PATTERN = "|".join(sorted(SECRET_KEYS))
_SECRET_JSON = re.compile(rf'("(?:{_KEYS_PATTERN})"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE)
_SECRET_PARAM = re.compile(rf"(\b(?:{_KEYS_PATTERN})=)[^&\s\"']+", re.IGNORECASE)


def secret_encodings(value: str) -> set[str]:
    """Every form ``value`` can take in a body, URL or message."""
    json_forms = {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    # Some JSON encoders (PHP's) also escape "/".
    json_forms |= {form.replace("/", "\\/") for form in json_forms}
    url_forms = {quote(value, safe=""), quote(value), quote_plus(value), quote_plus(value, "/")}
    return {value} | json_forms | url_forms


def _is_secret_key(key: Any) -> bool:
    return isinstance(key, str) and key.lower() in SECRET_KEYS


class Redactor:
    """Masks the given secret values, and the values of secret keys and headers."""

    def __init__(self, secrets: Iterable[str]):
        self._secrets = frozenset(value for value in secrets if value)
        searchable = [value for value in self._secrets if len(value) >= MIN_SECRET_CHARS]
        # Longest first, so a secret containing another is replaced whole.
        self._searched_raw = sorted(searchable, key=len, reverse=True)
        encodings = set().union(*(secret_encodings(value) for value in searchable))
        self._searched = sorted(encodings, key=len, reverse=True)
        self._longest = len(self._searched[0]) if self._searched else 0

    def __call__(self, text: str) -> str:
        """Free text: every encoding of every secret, and secret-keyed values."""
        for value in self._searched:
            text = text.replace(value, REDACTED)
        text = _SECRET_JSON.sub(rf'\1"{REDACTED}"', text)
        return _SECRET_PARAM.sub(rf"\1{REDACTED}", text)

    def head(self, text: str) -> str:
        """The masked head of a long text. A secret the cut splits would survive in part,
        so the masked head loses as many characters as the longest secret form has."""
        if len(text) <= TEXT_MAX_CHARS:
            return self(text)
        masked = self(text[:TEXT_MAX_CHARS])
        return masked[: len(masked) - self._longest]

    def headers(self, headers: httpx.Headers) -> dict[str, str]:
        return {
            name: REDACTED if name.lower() in SECRET_HEADERS else self(value)
            for name, value in headers.items()
        }

    def url(self, url: httpx.URL) -> str:
        query = url.query.decode("ascii", errors="replace")
        if not query:
            return self(str(url))
        return self(f"{url.copy_with(query=None)}?{self.form(query)}")

    def form(self, text: str) -> str:
        """A query string or form body, masked field by field."""
        fields = parse_qsl(text, keep_blank_values=True)
        if not fields:
            return self(text)
        masked = [
            f"{quote_plus(key)}={REDACTED if self._masks(key, value) else quote_plus(value)}"
            for key, value in fields
        ]
        return self("&".join(masked))

    def body(self, content: bytes, content_type: str = "") -> str:
        """A request or reply body as text, masked by its structure where it has one."""
        text = content[: PARSE_MAX_BYTES + 1].decode("utf-8", errors="replace")
        if len(content) <= PARSE_MAX_BYTES:
            structured = self._structured(text, content_type)
            if structured is not None:
                return structured
        return self.head(text)

    def _structured(self, text: str, content_type: str) -> str | None:
        if "x-www-form-urlencoded" in content_type:
            return self.form(text)
        if not text.lstrip().startswith(("{", "[")):
            return None
        try:
            data = json.loads(text)
            masked = self._mask(data)
        except (ValueError, RecursionError):
            return None
        if masked == _trimmed(data):
            return self.head(text)  # nothing structural to mask: keep the text as sent
        return self.head(json.dumps(masked, ensure_ascii=False, separators=(",", ":")))

    def _masks(self, key: Any, value: Any) -> bool:
        """Whether a field's whole value is a secret: by its key, or by being one."""
        if _is_secret_key(key) and value not in (None, "", [], {}):
            return True
        return not isinstance(value, dict | list | bool) and str(value) in self._secrets

    def _mask(self, node: Any) -> Any:
        if isinstance(node, dict):
            return {
                self._mask(key): REDACTED if self._masks(key, value) else self._mask(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            masked = [
                REDACTED if self._masks(None, item) else self._mask(item)
                for item in node[:LIST_ITEMS_KEPT]
            ]
            return masked + _more_items(node)
        if isinstance(node, str):
            return self._mask_text(node)
        return node

    def _mask_text(self, text: str) -> str:
        for value in self._searched_raw:
            text = text.replace(value, REDACTED)
        return text


def _more_items(items: list) -> list[str]:
    left_out = len(items) - LIST_ITEMS_KEPT
    return [f"... {left_out} more items"] if left_out > 0 else []


def _trimmed(node: Any) -> Any:
    """``node`` with its lists cut as ``Redactor._mask`` cuts them, masking nothing."""
    if isinstance(node, dict):
        return {key: _trimmed(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_trimmed(item) for item in node[:LIST_ITEMS_KEPT]] + _more_items(node)
    return node
