"""The sandbox over Django: the vendors' side of the wire, so no login and no CSRF; each
emulator answers with its vendor's own auth errors."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from vendors.sandbox import CONTROL_TOKEN_HEADER, SandboxReply, sandbox_answer, sandbox_control


def _response(reply: SandboxReply) -> HttpResponse:
    response = HttpResponse(reply.body, status=reply.status)
    for name, value in reply.headers.items():
        response[name] = value
    return response


@csrf_exempt
def sandbox_control_view(request: HttpRequest, kind: str, action: str) -> HttpResponse:
    reply = sandbox_control(
        kind=kind,
        action=action,
        method=request.method,
        token=request.headers.get(CONTROL_TOKEN_HEADER, ""),
        body=request.body,
    )
    return _response(reply)


@csrf_exempt
def sandbox_view(request: HttpRequest, kind: str, path: str = "") -> HttpResponse:
    mount = request.path[: len(request.path) - len(path)].rstrip("/")
    headers = {name: value for name, value in request.headers.items() if name.lower() != "cookie"}
    try:
        body = request.body
    except RequestDataTooBig:
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE; the standalone server has no such cap.
        return JsonResponse({"message": "Request body too large for the sandbox."}, status=413)
    reply = sandbox_answer(
        kind=kind,
        mount=mount,
        method=request.method,
        url=request.build_absolute_uri(),
        headers=headers,
        body=body,
    )
    return _response(reply)
