from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from knox.models import AuthToken

from accounts.models import Team, User


def api_token_create(*, user: User, ttl: timedelta | None = None) -> tuple[AuthToken, str]:
    """Issue an API token. The clear text is returned once and never stored."""
    if ttl is None:
        return AuthToken.objects.create(user=user)
    return AuthToken.objects.create(user=user, expiry=ttl)


def api_token_revoke(*, user: User, token_key: str) -> int:
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted


def user_create_with_role(
    *, username: str, password: str, role: str, team: Team | None = None, **fields
) -> User:
    """Create (or reset) a user holding exactly one role. Used by the demo data and
    ``create_supervisor``; idempotent so re-running a setup never fails."""
    user, _ = User.objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.team = team
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user
