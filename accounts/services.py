from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from knox.models import AuthToken

from accounts.mail import INVITE, RESET, password_link_send
from accounts.models import Team, User
from accounts.roles import Role
from accounts.selectors import role_of
from dialer_console.errors import ApplicationError

UNCHANGED = object()  # user_change: a team argument that was not given


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


# --- Users and teams (supervisors; views and the API call these, so both refuse alike) ---

NO_SUPERVISOR_LEFT = gettext_lazy(
    "This would leave no active supervisor: make another user a supervisor first."
)


def _role_group(role: str) -> Group:
    if role not in Role.values:
        names = ", ".join(Role.values)
        raise ApplicationError(
            gettext("“%(role)s” is not a role: use one of %(names)s.")
            % {"role": role, "names": names},
            {"field": "role"},
        )
    return Group.objects.get(name=role)


def _check_team(role: str, team: Team | None) -> None:
    if role != Role.SUPERVISOR and team is None:
        raise ApplicationError(
            gettext(
                "A user with the role %(role)s needs a team: without one they see no lead lists."
            )
            % {"role": role},
            {"field": "team"},
        )


def _check_supervisor_left(*, user: User, stays_supervisor: bool) -> None:
    """Refuse a change that turns the last active supervisor into something else.

    Every active supervisor row is locked first, then the others are counted in a statement
    of its own: a second change waiting on the lock counts after the first one committed,
    so two supervisors demoting each other at once cannot both pass."""
    if stays_supervisor or not user.is_active or not user.is_supervisor:
        return
    # A subquery, not a join: PostgreSQL locks no rows on the nullable side of an outer join.
    holders = User.groups.through.objects.filter(group__name=Role.SUPERVISOR).values("user_id")
    supervisors = User.objects.filter(Q(is_superuser=True) | Q(pk__in=holders), is_active=True)
    list(supervisors.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not supervisors.exclude(pk=user.pk).exists():
        raise ApplicationError(NO_SUPERVISOR_LEFT, {"code": "last_supervisor"})


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    role: str,
    team: Team | None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    acting_user: User,
) -> User:
    """Add a user with one role. With a password they can log in at once; without one
    they are e-mailed an invitation: a one-time link to choose it."""
    username, email = username.strip(), email.strip()
    group = _role_group(role)
    _check_team(role, team)
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            gettext("The user name “%(username)s” is taken (deactivated users keep theirs).")
            % {"username": username},
            {"field": "username"},
        )
    if not password and not email:
        raise ApplicationError(
            gettext("Give an e-mail address for the invitation, or set a password."),
            {"field": "email"},
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        team=team,
        language=language,
    )
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set([group])
    if not password:
        # Queued for when the user is committed (accounts.mail): a refusing mail server is
        # retried by the task, and logged, instead of failing the form.
        password_link_send(user=user, kind=INVITE, sent_by=acting_user)
    return user


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), {"field": "password"}) from None


@transaction.atomic
def user_change(
    *,
    user: User,
    acting_user: User,
    role: str | None = None,
    team: Team | None | object = UNCHANGED,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    language: str | None = None,
) -> User:
    """Change a user's role, team, contact details or language; what is not given stays."""
    current_role = role_of(user)
    new_role = role if role is not None else current_role
    new_team = user.team if team is UNCHANGED else team
    group = _role_group(new_role) if role is not None else None
    if new_role is not None:
        _check_team(new_role, new_team)
    _check_supervisor_left(
        user=user, stays_supervisor=user.is_superuser or new_role == Role.SUPERVISOR
    )
    user.team = new_team
    for name, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, name, value.strip())
    if language is not None:
        user.language = language
    user.save()
    if group is not None:
        user.groups.set([group])
        user._role_names = {group.name}
    return user


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> int:
    """Stop a user logging in, and revoke their API tokens (how many is returned). Users
    are never deleted: the audit trail names them."""
    if not user.is_active:
        raise ApplicationError(
            gettext("%(username)s is already deactivated.") % {"username": user.username},
            {"code": "inactive"},
        )
    _check_supervisor_left(user=user, stays_supervisor=False)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked, _ = AuthToken.objects.filter(user=user).delete()
    return revoked


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    if user.is_active:
        raise ApplicationError(
            gettext("%(username)s is already active.") % {"username": user.username},
            {"code": "active"},
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def user_password_reset_send(*, user: User, acting_user: User) -> None:
    """E-mail ``user`` a one-time link to set a new password. Their password keeps working
    until they use it."""
    if not user.is_active:
        raise ApplicationError(
            gettext("%(username)s is deactivated: reactivate them first.")
            % {"username": user.username},
            {"code": "inactive"},
        )
    if not user.email:
        raise ApplicationError(
            gettext("%(username)s has no e-mail address to send the link to: add one first.")
            % {"username": user.username},
            {"field": "email"},
        )
    password_link_send(user=user, kind=RESET, sent_by=acting_user)


def _team_name(name: str, *, exclude: Team | None = None) -> str:
    name = name.strip()
    if not name:
        raise ApplicationError(gettext("A team needs a name."), {"field": "name"})
    taken = Team.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ApplicationError(
            gettext("There is already a team “%(name)s”.") % {"name": name}, {"field": "name"}
        )
    return name


def team_create(*, name: str, acting_user: User) -> Team:
    return Team.objects.create(name=_team_name(name))


def team_rename(*, team: Team, name: str, acting_user: User) -> Team:
    team.name = _team_name(name, exclude=team)
    team.save(update_fields=["name"])
    return team


def lockout_clear(*, attempt_id: int, acting_user: User) -> AccessAttempt:
    """Forget one user name's failed logins from one address (django-axes' record), which
    lifts its lockout."""
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise ApplicationError(gettext("That lockout is gone already (expired or cleared)."))
    attempt.delete()
    return attempt


def lockout_address_clear(*, address: str, acting_user: User) -> int:
    """Forget every failed login from ``address``, which lifts the per-address cap
    (accounts.lockout) and each user name's lockout from there; how many records went."""
    if not address:
        raise ApplicationError(gettext("Say which address to clear."), {"field": "address"})
    deleted = axes_reset(ip=address)
    if not deleted:
        raise ApplicationError(
            gettext("No failed logins are recorded from %(address)s.") % {"address": address}
        )
    return deleted
