"""The users, teams and lockouts pages, and the one-time password link."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.services import api_token_create
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_user_list_filters_and_links_each_user(supervisor_client, supervisor, team_lead):
    UserFactory(username="gone", role=Role.TEAM_LEAD, with_team=True, is_active=False)
    response = supervisor_client.get(reverse("accounts:user-list"))
    names = [user.username for user in response.context["page"].rows]
    assert names == sorted([supervisor.username, team_lead.username, "gone"])
    assert reverse("accounts:user-detail", args=[team_lead.pk]).encode() in response.content
    response = supervisor_client.get(
        reverse("accounts:user-list"), {"role": Role.TEAM_LEAD, "status": "inactive"}
    )
    assert [user.username for user in response.context["page"].rows] == ["gone"]
    rows = supervisor_client.get(reverse("accounts:user-list"), {"q": team_lead.email})
    assert [user.role for user in rows.context["page"].rows] == [Role.TEAM_LEAD]


def test_a_bad_filter_is_said_not_a_500(supervisor_client):
    response = supervisor_client.get(reverse("accounts:user-list"), {"team": "x", "sort": "zz"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"is not a sort of this list" in response.content


def test_adding_a_user_without_a_password_invites_them(supervisor_client):
    team = TeamFactory(name="North")
    response = supervisor_client.post(
        reverse("accounts:user-create"),
        {"username": "dana", "role": Role.TEAM_LEAD, "team": team.pk, "email": "d@x.test"},
        follow=True,
    )
    dana = User.objects.get(username="dana")
    assert response.redirect_chain[-1][0] == reverse("accounts:user-detail", args=[dana.pk])
    assert _flash(response) == ["dana added and invited: a link went to d@x.test."]
    assert b"not set yet (invited)" in response.content
    assert [message.to for message in mail.outbox] == [["d@x.test"]]


def test_a_refused_user_is_explained_on_the_form(supervisor_client, supervisor):
    response = supervisor_client.post(
        reverse("accounts:user-create"),
        {"username": supervisor.username.upper(), "role": Role.SUPERVISOR, "password": "x" * 20},
    )
    assert response.status_code == 200
    assert "is taken" in response.context["form"].errors["username"][0]
    response = supervisor_client.post(
        reverse("accounts:user-create"), {"username": "eve", "role": Role.TEAM_LEAD}
    )
    assert "needs a team" in response.context["form"].errors["team"][0]


def test_the_last_supervisor_cannot_demote_themselves_on_the_page(supervisor_client, supervisor):
    team = TeamFactory()
    response = supervisor_client.post(
        reverse("accounts:user-change", args=[supervisor.pk]),
        {"role": Role.TEAM_LEAD, "team": team.pk, "email": supervisor.email},
    )
    assert response.status_code == 400
    assert b"This would leave no active supervisor" in response.content
    response = supervisor_client.post(
        reverse("accounts:user-deactivate", args=[supervisor.pk]), follow=True
    )
    assert _flash(response) == [
        "This would leave no active supervisor: make another user a supervisor first."
    ]
    supervisor.refresh_from_db()
    assert supervisor.is_active


def test_change_deactivate_reactivate_and_revoke_on_the_page(supervisor_client, team_lead):
    south = TeamFactory(name="South")
    response = supervisor_client.post(
        reverse("accounts:user-change", args=[team_lead.pk]),
        {"role": Role.API_CONSUMER, "team": south.pk, "email": "new@x.test"},
        follow=True,
    )
    assert _flash(response) == [f"{team_lead.username} saved."]
    team_lead.refresh_from_db()
    assert (team_lead.team, team_lead.email) == (south, "new@x.test")
    token, _ = api_token_create(user=team_lead)
    page = supervisor_client.get(reverse("accounts:user-detail", args=[team_lead.pk]))
    assert f"{token.token_key}…".encode() in page.content
    response = supervisor_client.post(
        reverse("accounts:user-token-revoke", args=[team_lead.pk, token.token_key]), follow=True
    )
    assert _flash(response) == [f"Token {token.token_key}… of {team_lead.username} revoked."]
    assert b"No API tokens." in response.content
    api_token_create(user=team_lead)
    response = supervisor_client.post(
        reverse("accounts:user-deactivate", args=[team_lead.pk]), follow=True
    )
    assert _flash(response) == [f"{team_lead.username} deactivated; 1 API token revoked."]
    response = supervisor_client.post(
        reverse("accounts:user-reactivate", args=[team_lead.pk]), follow=True
    )
    assert _flash(response) == [f"{team_lead.username} can log in again."]


def _set_password_url(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/set/\S+)", body).group(1)


def test_the_password_link_works_once(client, supervisor_client, team_lead):
    supervisor_client.post(reverse("accounts:user-password-reset", args=[team_lead.pk]))
    url = _set_password_url(mail.outbox[0].body)
    client.logout()
    form_page = client.get(url, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a fresh passphrase 7", "new_password2": "a fresh passphrase 7"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert _flash(response) == ["Password set. Log in with it now."]
    team_lead.refresh_from_db()
    assert team_lead.check_password("a fresh passphrase 7")
    again = client.get(url, follow=True)
    assert not again.context["validlink"]
    assert b"This link no longer works" in again.content


def test_an_expired_link_is_refused(client, supervisor_client, team_lead, settings):
    supervisor_client.post(reverse("accounts:user-password-reset", args=[team_lead.pk]))
    url = _set_password_url(mail.outbox[0].body)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.get(url, follow=True)
    assert not response.context["validlink"]


def test_a_deactivated_users_link_is_refused(client, supervisor_client, supervisor, team_lead):
    supervisor_client.post(reverse("accounts:user-password-reset", args=[team_lead.pk]))
    url = _set_password_url(mail.outbox[0].body)
    supervisor_client.post(reverse("accounts:user-deactivate", args=[team_lead.pk]))
    assert not client.get(url, follow=True).context["validlink"]


def test_a_team_lead_sees_only_their_own_team_read_only(client, team_lead):
    mate = UserFactory(role=Role.API_CONSUMER, team=team_lead.team)
    other = TeamFactory(name="Elsewhere")
    UserFactory(role=Role.TEAM_LEAD, team=other)
    client.force_login(team_lead)
    teams = client.get(reverse("accounts:team-list"))
    assert [team.pk for team in teams.context["page"].rows] == [team_lead.team_id]
    page = client.get(reverse("accounts:team-detail", args=[team_lead.team_id]))
    assert {user.username for user in page.context["page"].rows} == {
        team_lead.username,
        mate.username,
    }
    assert reverse("accounts:team-rename", args=[team_lead.team_id]).encode() not in page.content
    assert reverse("accounts:user-detail", args=[mate.pk]).encode() not in page.content
    assert client.get(reverse("accounts:team-detail", args=[other.pk])).status_code == 404
    assert b">My team</a>" in page.content and b">Users</a>" not in page.content


def test_a_supervisor_creates_and_renames_teams(supervisor_client):
    response = supervisor_client.post(
        reverse("accounts:team-create"), {"name": "North"}, follow=True
    )
    team = response.context["team"]
    assert _flash(response) == ["Team North saved."]
    response = supervisor_client.post(reverse("accounts:team-create"), {"name": "north"})
    assert response.context["form"].errors["name"] == ["There is already a team “north”."]
    supervisor_client.post(reverse("accounts:team-rename", args=[team.pk]), {"name": "Nord"})
    team.refresh_from_db()
    assert team.name == "Nord"


def _attempt(username: str, address: str, failures: int) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="test",
        failures_since_start=failures,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )


def test_lockouts_are_listed_and_cleared(supervisor_client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 5
    locked = _attempt("dana", "203.0.113.7", 3)
    _attempt("eve", "203.0.113.7", 2)
    counting = _attempt("finn", "198.51.100.9", 1)
    response = supervisor_client.get(reverse("accounts:lockouts"))
    states = {row.username: row.locked for row in response.context["page"].rows}
    assert states == {"dana": True, "eve": False, "finn": False}
    addresses = response.context["addresses"]
    assert [(row.address, row.failures) for row in addresses] == [("203.0.113.7", 5)]
    response = supervisor_client.post(
        reverse("accounts:lockout-clear", args=[counting.pk]), follow=True
    )
    assert _flash(response) == ["Failed logins of finn from 198.51.100.9 cleared."]
    response = supervisor_client.post(
        reverse("accounts:lockout-address-clear"), {"address": "203.0.113.7"}, follow=True
    )
    assert _flash(response) == ["2 records of failed logins from 203.0.113.7 cleared."]
    assert not AccessAttempt.objects.exists()
    response = supervisor_client.post(
        reverse("accounts:lockout-clear", args=[locked.pk]), follow=True
    )
    assert _flash(response) == ["That lockout is gone already (expired or cleared)."]


def test_clearing_a_lockout_lets_the_user_log_in_again(client, supervisor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    lead = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    login = reverse("accounts:login")
    for _ in range(2):
        client.post(login, {"username": lead.username, "password": "wrong"})
    good = {"username": lead.username, "password": "correct-horse-battery"}
    assert client.post(login, good).status_code == 429
    attempt = AccessAttempt.objects.get(username=lead.username)
    client.force_login(supervisor)
    client.post(reverse("accounts:lockout-clear", args=[attempt.pk]))
    client.logout()
    assert client.post(login, good).status_code == 302


def test_a_deactivated_users_session_ends(client, supervisor, team_lead):
    client.force_login(team_lead)
    assert client.get(reverse("accounts:team-list")).status_code == 200
    team_lead.is_active = False
    team_lead.save()
    response = client.get(reverse("accounts:team-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_users_cannot_be_deleted_in_the_admin(admin_client, team_lead):
    response = admin_client.get(reverse("admin:accounts_user_delete", args=[team_lead.pk]))
    assert response.status_code == 403
    page = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert b'value="delete_selected"' not in page.content
