"""Middleware of the project."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dialer_console.views import page_not_found


class BrandedNotFoundMiddleware:
    """With DEBUG on (the quick start), Django answers a 404 with its technical page, which
    lists every URL pattern of the console and ignores ``handler404``. Answer with the
    branded page instead, as in production. JSON 404s (API, sandbox) pass through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "branded", False)
        ):
            return page_not_found(request)
        return response
