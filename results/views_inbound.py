"""The dialer's side of the wire: the receiving endpoint, authenticated by its secret
rather than a login, so CSRF-exempt."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from results.services import results_receive
from vendors.models import VendorAccount

SECRET_HEADER = "X-Console-Secret"  # noqa: S105 (a header name)


@csrf_exempt
@require_POST
def receive(request, token: str):
    account = VendorAccount.objects.filter(receiving_token=token).first()
    if account is None:
        raise Http404("No receiving endpoint here.")
    length = request.headers.get("Content-Length") or "0"
    if not length.isdecimal() or int(length) > settings.RESULTS_RECEIVE_MAX_BYTES:
        return JsonResponse(
            {"message": "The body is too large or its length unreadable."}, status=413
        )
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"message": "The body is too large."}, status=413)
    if len(body) > settings.RESULTS_RECEIVE_MAX_BYTES:
        return JsonResponse({"message": "The body is too large."}, status=413)
    secret = request.headers.get(SECRET_HEADER) or request.GET.get("secret", "")
    receipt = results_receive(
        account=account, secret=secret, body=body, remote_address=request.META.get("REMOTE_ADDR")
    )
    return JsonResponse({"message": receipt.message}, status=receipt.status)
