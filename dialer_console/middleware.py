"""Middleware of the project: refusals that hold for every page and endpoint before any
view runs, and the branded 404 in debug mode."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialer_console.views import page_not_found

NUL_MESSAGE = _("The address contains a NUL character (%00), which no filter accepts.")


class RefuseNulInQueryMiddleware:
    """A NUL character in a query parameter is refused with a 400: PostgreSQL cannot take
    one in a query, so any filter passing it on would end in a 500. One check here
    covers every list filter of every page and endpoint, the admin's included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parameters = sorted(
            name
            for name, values in request.GET.lists()
            if "\x00" in name or any("\x00" in value for value in values)
        )
        if not parameters:
            return self.get_response(request)
        # This runs before LocaleMiddleware: the language is read from the request here.
        with translation.override(translation.get_language_from_request(request)):
            message = str(NUL_MESSAGE)
            if request.path_info.startswith("/api/"):
                extra = {"code": "nul_character", "parameters": parameters}
                return JsonResponse({"message": message, "extra": extra}, status=400)
            # No context processors: this runs before sessions and authentication.
            page = loader.get_template("errors/400.html").render({"message": message})
        return HttpResponse(page, status=400)


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
