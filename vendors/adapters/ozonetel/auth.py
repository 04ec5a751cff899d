"""Ozonetel's TOKEN_AUTH mode: a Bearer token from Generate Token on every ``ca_apis``
request, cached per account and renewed once when Ozonetel refuses it.

Generate Token (``POST /ca_apis/CAToken/generateToken``, header ``apiKey``, body
``{"userName"}``, reply ``{"token"}``) is described by third-party clients [T], as are
its 60-minute validity and its limit of 10 a hour (api-facts §5.2); the cache keeps a
token for 50 minutes so a worker asks rarely. The token request goes through the same
client, so the call log records it (with the token redacted by key).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Generator

import httpx

from vendors.adapters.ozonetel.payloads import TOKEN_PATH

TOKEN_REUSE_SECONDS = 50 * 60
CA_APIS = "/ca_apis/"

_cache: dict[str, tuple[str, float]] = {}
_cache_lock = threading.Lock()


def cache_key(base_url: str, user_name: str, api_key: str) -> str:
    return hashlib.sha256(f"{base_url}|{user_name}|{api_key}".encode()).hexdigest()


def cached_token(key: str) -> str:
    with _cache_lock:
        token, expires = _cache.get(key, ("", 0.0))
        return token if expires > time.monotonic() else ""


def remember_token(key: str, token: str) -> None:
    with _cache_lock:
        _cache[key] = (token, time.monotonic() + TOKEN_REUSE_SECONDS)


def forget_token(key: str) -> None:
    with _cache_lock:
        _cache.pop(key, None)


def token_from(response: httpx.Response) -> str:
    if response.status_code != 200:
        return ""
    try:
        data = response.json()
    except ValueError:
        return ""
    token = data.get("token") if isinstance(data, dict) else None
    return token if isinstance(token, str) else ""


class OzonetelTokenAuth(httpx.Auth):
    requires_response_body = True

    def __init__(self, *, user_name: str, api_key: str, key: str):
        self.user_name = user_name
        self.api_key = api_key
        self.key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        path = request.url.path
        if CA_APIS not in path or path.endswith(TOKEN_PATH):
            yield request
            return
        token = cached_token(self.key)
        if not token:
            reply = yield self._token_request(request)
            token = token_from(reply)
            if not token:
                return  # the caller gets Ozonetel's refusal of the token request
            remember_token(self.key, token)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        forget_token(self.key)  # expired early or revoked: one fresh token, one retry
        reply = yield self._token_request(request)
        token = token_from(reply)
        if not token:
            return
        remember_token(self.key, token)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        prefix = request.url.path[: request.url.path.index(CA_APIS)]
        return httpx.Request(
            "POST",
            request.url.copy_with(path=prefix + TOKEN_PATH, query=None),
            headers={"apiKey": self.api_key, "User-Agent": request.headers.get("User-Agent", "")},
            json={"userName": self.user_name},
            extensions={"vendor_operation": "token"},
        )
