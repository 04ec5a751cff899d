"""Login lockouts (django-axes): per user name and address, and per address.

django-axes compares the highest failure count over its lockout parameter groups with one
limit, so an address group there would lock an address out at the per-user limit, and a
successful login would reset the failures of every user name tried from that address. The
address total is therefore counted here, on its own, against its own higher limit.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AddressCappedAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures of this user name from this address; once the address as a whole
        has reached ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``, at least the lockout limit."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, any user name."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from. Behind ``TRUSTED_PROXY_COUNT`` proxies, each of
    which appends the address it was reached from to X-Forwarded-For, it is the entry that
    many places from the end; entries before it are whatever the client sent, never
    trusted. A request that did not pass the proxies (too few entries) keeps REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
