"""Access checks shared by every HTML view and API endpoint.

HTML views are decorated with ``permission_required_or_403``; API views use
``RolePermissions`` (the REST framework default). Team scoping of lists lives in the
owning app's selectors, through ``team_scope``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.permissions import DjangoModelPermissions


def permission_required_or_403(*perms: str) -> Callable:
    """Anonymous users go to the login page; signed-in users without ``perms`` get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permissions = perms
        return wrapped

    return decorator


def team_scope(queryset: QuerySet, user, team_field: str = "team") -> QuerySet:
    """Limit ``queryset`` to what ``user`` may see: everything for supervisors,
    their own team's rows for everyone else (nothing when they have no team)."""
    if user.is_supervisor:
        return queryset
    if user.team_id is None:
        return queryset.none()
    return queryset.filter(**{f"{team_field}_id": user.team_id})


def team_visible(user, team_id: int | None) -> bool:
    """``team_scope``'s rule for one row already loaded: may ``user`` see a row of
    ``team_id``?"""
    if user.is_supervisor:
        return True
    return user.team_id is not None and team_id == user.team_id


def get_visible_or_404(queryset: QuerySet, user, team_field: str | None = None, **lookup):
    """Fetch one object for ``user``, applying team scoping when ``team_field`` is given."""
    if team_field is not None:
        queryset = team_scope(queryset, user, team_field)
    return get_object_or_404(queryset, **lookup)


class RolePermissions(DjangoModelPermissions):
    """Model permissions, with ``view`` required for reads (DRF requires none by default)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        required = getattr(view, "required_permissions", None)
        if required is not None:
            # Action endpoints that are not model CRUD name their permissions directly,
            # per method where reads and writes differ.
            if isinstance(required, dict):
                required = required.get(request.method, required.get("*", ()))
            return request.user.has_perms(required)
        return super().has_permission(request, view)
