"""The console's language for a logged-in user who chose one (``User.language``).

LocaleMiddleware (before this) has already activated the language of the language cookie
or, without one, of the browser's Accept-Language; a user's own choice wins over both.
A user who chose none keeps what LocaleMiddleware picked."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SHIPPED = frozenset(code for code, _ in settings.LANGUAGES)


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen and chosen in SHIPPED and user.is_authenticated:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
