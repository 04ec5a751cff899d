"""Reads of users, teams and login lockouts. Users and lockouts are a supervisor's (the
views require ``accounts.view_user``); teams are scoped here: a team lead sees their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from knox.models import AuthToken

from accounts.models import Team, User
from accounts.roles import Role
from dialer_console.keyset import Column, Sorting

USER_SORTING = Sorting(
    columns=(
        Column("username", gettext_lazy("User name"), "username"),
        Column("joined", gettext_lazy("Added"), "id", True),
    ),
    default="username",
)
TEAM_SORTING = Sorting(columns=(Column("name", gettext_lazy("Name"), "name"),), default="name")
MEMBER_SORTING = Sorting(
    columns=(Column("username", gettext_lazy("User name"), "username"),), default="username"
)
LOCKOUT_SORTING = Sorting(
    columns=(Column("time", gettext_lazy("Last failure"), "attempt_time", True),), default="-time"
)

USER_STATUSES = (("active", "Active"), ("inactive", "Deactivated"))


def _with_roles(users: QuerySet) -> QuerySet:
    return users.select_related("team").prefetch_related(Prefetch("groups", to_attr="role_groups"))


def user_list(*, text: str = "", role: str = "", team_id: int | None = None, status: str = ""):
    """Every user, filtered by a part of the name or e-mail, role, team and status."""
    users = _with_roles(User.objects.all())
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    if role:
        users = users.filter(groups__name=role)
    if team_id is not None:
        users = users.filter(team_id=team_id)
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    return users


def user_get(*, pk: int) -> User:
    return get_object_or_404(_with_roles(User.objects.all()), pk=pk)


def role_of(user: User) -> str | None:
    """The role of a user read with ``user_list``/``user_get`` (groups prefetched)."""
    names = {group.name for group in getattr(user, "role_groups", user.groups.all())}
    return next((role for role in Role.values if role in names), None)


def with_roles(users: list) -> list:
    """Set ``role`` on each user of a page (read with the groups prefetched)."""
    for user in users:
        user.role = role_of(user)
    return users


def user_tokens(*, user: User) -> QuerySet:
    """The user's API tokens, newest first (knox keeps only a digest and the first
    characters, which are all a page shows)."""
    return AuthToken.objects.filter(user=user).order_by("-created")


def teams_visible(*, user: User) -> QuerySet:
    """Every team for a supervisor; a team lead's own team; nothing for anyone else."""
    if user.is_supervisor:
        return Team.objects.all()
    if user.team_id is None or not user.has_perm("accounts.view_team"):
        return Team.objects.none()
    return Team.objects.filter(pk=user.team_id)


def team_get_visible(*, user: User, pk: int) -> Team:
    """A team the user may see, or 404 (never 403: it does not tell that the team exists)."""
    return get_object_or_404(teams_visible(user=user), pk=pk)


def team_members(*, team: Team) -> QuerySet:
    return _with_roles(team.members.all())


@dataclass(frozen=True)
class AddressLockout:
    address: str
    failures: int
    last_failure: datetime


def _recent_attempts() -> QuerySet:
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return attempts


def lockout_attempts() -> QuerySet:
    """django-axes' records of failed logins per user name and address within the cool-off
    time (``lockout_is_locked`` says which reached the limit)."""
    return _recent_attempts()


def lockout_is_locked(attempt: AccessAttempt) -> bool:
    return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def lockout_addresses() -> list[AddressLockout]:
    """Addresses whose failed logins, any user name, reached the per-address cap
    (LOGIN_FAILURE_LIMIT_PER_ADDRESS, accounts.lockout): every login from them is refused."""
    rows = (
        _recent_attempts()
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS)
        .order_by("-last")
    )
    return [AddressLockout(row["ip_address"], row["failures"], row["last"]) for row in rows]
