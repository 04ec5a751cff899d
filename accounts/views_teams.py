"""Teams (a supervisor creates and renames them; a team lead sees their own team's
members, read-only), login lockouts (supervisors: see and clear), and the page a one-time
password link opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.access import permission_required_or_403
from accounts.forms import TeamForm
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page


@permission_required_or_403("accounts.view_team")
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_visible(user=request.user)
    page = keyset_page(request, teams, sorting=selectors.TEAM_SORTING)
    return render(request, "accounts/team_list.html", {"page": page})


def _team_form(request: HttpRequest, team, save) -> HttpResponse:
    form = TeamForm(request.POST or None, initial={"name": team.name if team else ""})
    if request.method == "POST" and form.is_valid():
        try:
            team = save(form.cleaned_data["name"])
        except ApplicationError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Team %(name)s saved.") % {"name": team.name})
            return redirect("accounts:team-detail", team_id=team.pk)
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@permission_required_or_403("accounts.view_team", "accounts.add_team")
def team_create(request: HttpRequest) -> HttpResponse:
    def save(name):
        return services.team_create(name=name, acting_user=request.user)

    return _team_form(request, None, save)


@permission_required_or_403("accounts.view_team", "accounts.change_team")
def team_rename(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_visible(user=request.user, pk=team_id)

    def save(name):
        return services.team_rename(team=team, name=name, acting_user=request.user)

    return _team_form(request, team, save)


@permission_required_or_403("accounts.view_team")
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_visible(user=request.user, pk=team_id)
    members = selectors.team_members(team=team)
    page = keyset_page(
        request, members, sorting=selectors.MEMBER_SORTING, rows=selectors.with_roles
    )
    return render(request, "accounts/team_detail.html", {"team": team, "page": page})


def _with_locked(attempts: list) -> list:
    for attempt in attempts:
        attempt.locked = selectors.lockout_is_locked(attempt)
    return attempts


@permission_required_or_403("accounts.view_user")
def lockout_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        request,
        selectors.lockout_attempts(),
        sorting=selectors.LOCKOUT_SORTING,
        rows=_with_locked,
    )
    context = {
        "page": page,
        "addresses": selectors.lockout_addresses(),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "user_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
    }
    return render(request, "accounts/lockout_list.html", context)


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def lockout_clear(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = services.lockout_clear(attempt_id=attempt_id, acting_user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Failed logins of %(username)s from %(ip_address)s cleared.")
            % {"username": attempt.username, "ip_address": attempt.ip_address},
        )
    return redirect("accounts:lockouts")


@permission_required_or_403("accounts.view_user", "accounts.change_user")
@require_POST
def lockout_address_clear(request: HttpRequest) -> HttpResponse:
    address = request.POST.get("address", "").strip()[:64]
    try:
        cleared = services.lockout_address_clear(address=address, acting_user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s record of failed logins from %(address)s cleared.",
                "%(count)s records of failed logins from %(address)s cleared.",
                cleared,
            )
            % {"count": cleared, "address": address},
        )
    return redirect("accounts:lockouts")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page an invitation or reset link opens (Django's token check: expires after
    PASSWORD_RESET_TIMEOUT, works until the password changes). Deactivated users get the
    invalid-link page."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Password set. Log in with it now."))
        return response
