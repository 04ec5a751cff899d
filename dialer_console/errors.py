"""The one expected-failure error, and how the API renders it.

A service raises ``ApplicationError(message, extra)`` when a request is understood but
cannot be carried out. HTML views show ``message`` as a form error; the API answers
``400 {"message": ..., "extra": {...}}``. Field validation keeps DRF's own shape.
Request-level refusals (a body too large, a suspicious request) use the same shape, so an
API client never gets Django's HTML error page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error


class ApplicationError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConfirmationRequired(ApplicationError):
    """Possible, but the user should know something first: the page asks, the API answers
    409 until the request says ``confirm``."""

    status_code = status.HTTP_409_CONFLICT


class BodyTooLargeError(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


def body_too_large(max_bytes: int) -> BodyTooLargeError:
    return BodyTooLargeError(
        _("The request body is larger than this endpoint accepts (%(max_bytes)s bytes).")
        % {"max_bytes": format(max_bytes, ",")},
        {"code": "too_large", "max_bytes": max_bytes},
    )


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django's own limit (form and multipart bodies): DRF would leave it to Django's
        # HTML 400 page.
        exc = body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, SuspiciousOperation):
        exc = ApplicationError(str(exc) or _("Bad request."), {"code": "bad_request"})
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    # Imported here: rest_framework.views loads the parser classes named in settings,
    # and the API's parser (dialer_console.api_input) raises the errors of this module.
    from rest_framework.views import exception_handler

    return exception_handler(exc, context)
