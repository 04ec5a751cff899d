"""Who is acting, from where, and through which door, for every audit entry.

One context variable holds the door and, during a request, the request itself. The actor
is read from the request when an entry is saved, not when the request arrives: the REST
framework authenticates a token inside the view, and sets ``request.user`` on the Django
request then. The address is the one the login caps count (``client_address``), so a
client cannot write another address into the trail through X-Forwarded-For.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class Door(TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Command")
    WORKER = "worker", _("Worker (beat or queue)")


@dataclass(frozen=True)
class AuditContext:
    door: str
    request: HttpRequest | None = None
    actor: object | None = None  # a user named outright (a command's --user, a job's owner)


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def audit_context() -> AuditContext | None:
    return _current.get()


@contextlib.contextmanager
def audit_door(door: str, *, request: HttpRequest | None = None, actor=None):
    """Everything saved inside is recorded as coming through ``door``."""
    token = _current.set(AuditContext(door=door, request=request, actor=actor))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def audit_door_unless_set(door: str, *, actor=None):
    """``door``, unless a caller already set one (a task run eagerly inside a request
    keeps the request's door and user)."""
    if _current.get() is not None:
        yield
        return
    with audit_door(door, actor=actor):
        yield


@contextlib.contextmanager
def audit_acting(actor):
    """Everything saved inside is ``actor``'s (a queued job's owner), through the door
    already set (a worker's, or the request's when the job runs inline)."""
    current = _current.get()
    door = current.door if current else Door.WORKER
    request = current.request if current else None
    with audit_door(door, request=request, actor=actor):
        yield


def door_of(request: HttpRequest) -> str:
    path = request.path_info
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/admin/"):
        return Door.ADMIN
    return Door.PAGE


def current_door() -> str:
    """The door of what runs now. Code run outside a request, a task and a command (a
    script on the server, ``manage.py shell``) is recorded as a command."""
    context = _current.get()
    return context.door if context else Door.COMMAND


def current_actor():
    """The acting user, or None (an anonymous request, a command without --user)."""
    context = _current.get()
    if context is None:
        return None
    if context.actor is not None:
        return context.actor
    user = getattr(context.request, "user", None)
    return user if user is not None and user.is_authenticated else None


def current_address() -> str | None:
    from accounts.lockout import client_address

    context = _current.get()
    if context is None or context.request is None:
        return None
    return client_address(context.request)


class AuditContextMiddleware:
    """Puts the request and its door in the audit context for the view's whole run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_door(door_of(request), request=request):
            return self.get_response(request)
