"""Refusals that hold for every page and endpoint, before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

NUL_MESSAGE = "The address contains a NUL character (%00), which no filter accepts."


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
        if request.path_info.startswith("/api/"):
            extra = {"code": "nul_character", "parameters": parameters}
            return JsonResponse({"message": NUL_MESSAGE, "extra": extra}, status=400)
        # No context processors: this runs before sessions and authentication.
        page = loader.get_template("errors/400.html").render({"message": NUL_MESSAGE})
        return HttpResponse(page, status=400)
