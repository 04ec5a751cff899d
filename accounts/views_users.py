"""Users in the console, for supervisors: the list, add (invite or with a password),
the user's page (role, team, contact; API tokens; deactivate or reactivate; a password
link). Every change goes through accounts.services, as the API's do."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.access import permission_required_or_403
from accounts.forms import UserChangeForm, UserCreateForm, UserFilterForm
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page


@permission_required_or_403("accounts.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    team = params.get("team")
    users = selectors.user_list(
        text=params.get("q", ""),
        role=params.get("role", ""),
        team_id=team.pk if team else None,
        status=params.get("status", ""),
    )
    page = keyset_page(request, users, sorting=selectors.USER_SORTING, rows=selectors.with_roles)
    return render(request, "accounts/user_list.html", {"page": page, "filters": filters})


@permission_required_or_403("accounts.view_user", "accounts.add_user")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(**form.cleaned_data, acting_user=request.user)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            if form.cleaned_data["password"]:
                messages.success(
                    request,
                    _("%(username)s added: they can log in now.") % {"username": user.username},
                )
            else:
                messages.success(
                    request,
                    _("%(username)s added and invited: a link went to %(email)s.")
                    % {"username": user.username, "email": user.email},
                )
            return redirect("accounts:user-detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _detail_context(user, form) -> dict:
    return {
        "subject": user,
        "role": selectors.role_of(user),
        "form": form,
        "tokens": selectors.user_tokens(user=user),
    }


@permission_required_or_403("accounts.view_user")
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(pk=user_id)
    initial = {
        "role": selectors.role_of(user),
        "team": user.team,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
    }
    form = UserChangeForm(initial=initial)
    return render(request, "accounts/user_detail.html", _detail_context(user, form))


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def user_change(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(pk=user_id)
    form = UserChangeForm(request.POST)
    if form.is_valid():
        try:
            services.user_change(user=user, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(request, _("%(username)s saved.") % {"username": user.username})
            return redirect("accounts:user-detail", user_id=user.pk)
    user.refresh_from_db()
    context = _detail_context(user, form)
    return render(request, "accounts/user_detail.html", context, status=400)


def _act(request: HttpRequest, user_id: int, action: Callable[..., str]) -> HttpResponse:
    """Run one button's service on the user and say what happened or why not."""
    user = selectors.user_get(pk=user_id)
    try:
        messages.success(request, action(user))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user-detail", user_id=user.pk)


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    def deactivate(user) -> str:
        revoked = services.user_deactivate(user=user, acting_user=request.user)
        return ngettext(
            "%(username)s deactivated; %(count)s API token revoked.",
            "%(username)s deactivated; %(count)s API tokens revoked.",
            revoked,
        ) % {"username": user.username, "count": revoked}

    return _act(request, user_id, deactivate)


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    def reactivate(user) -> str:
        services.user_reactivate(user=user, acting_user=request.user)
        return _("%(username)s can log in again.") % {"username": user.username}

    return _act(request, user_id, reactivate)


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def user_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    def send(user) -> str:
        services.user_password_reset_send(user=user, acting_user=request.user)
        return _("A one-time link to set a new password went to %(email)s.") % {"email": user.email}

    return _act(request, user_id, send)


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def user_token_revoke(request: HttpRequest, user_id: int, token_key: str) -> HttpResponse:
    def revoke(user) -> str:
        if not services.api_token_revoke(user=user, token_key=token_key):
            raise ApplicationError(_("That token is gone already (expired or revoked)."))
        return f"Token {token_key}… of {user.username} revoked."

    return _act(request, user_id, revoke)
