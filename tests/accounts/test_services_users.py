"""Users and teams (accounts.services): the rules the pages and the API share."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import RequestFactory

from accounts import services
from accounts.models import Team, User
from accounts.roles import Role
from accounts.selectors import role_of
from dialer_console.errors import ApplicationError
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def authenticate_as(username: str, password: str):
    """django-axes' backend wants the login request."""
    return authenticate(RequestFactory().post("/"), username=username, password=password)


def _create(acting_user, **fields):
    values = {
        "username": "dana",
        "email": "dana@example.test",
        "role": Role.TEAM_LEAD,
        "team": TeamFactory(name="North"),
        "acting_user": acting_user,
    }
    return services.user_create(**{**values, **fields})


def test_a_user_created_with_a_password_logs_in_at_once(supervisor):
    user = _create(supervisor, password="a long passphrase 42")
    assert authenticate_as("dana", password="a long passphrase 42") == user
    assert role_of(user) == Role.TEAM_LEAD
    assert user.team.name == "North"
    assert mail.outbox == []


def test_an_invited_user_gets_a_one_time_link(supervisor, settings):
    settings.SITE_URL = "https://console.example.test"
    user = _create(supervisor)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.test"]
    assert message.subject == "You are invited to Dialer Console"
    assert "Your user name is: dana" in message.body
    assert "https://console.example.test/accounts/password/set/" in message.body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "", "password": ""}, "Give an e-mail address for the invitation"),
        ({"role": "Boss"}, "“Boss” is not a role"),
        ({"team": None}, "A user with the role Team lead needs a team"),
        (
            {"role": Role.API_CONSUMER, "team": None},
            "A user with the role API consumer needs a team",
        ),
        ({"password": "12345678"}, "This password is too common"),
    ],
)
def test_a_user_is_refused_with_a_reason(supervisor, fields, message):
    with pytest.raises(ApplicationError) as refused:
        _create(supervisor, **fields)
    assert message in refused.value.message
    assert not User.objects.filter(username="dana").exists()


def test_user_names_are_unique_whatever_the_case(supervisor):
    UserFactory(username="Dana", is_active=False)
    with pytest.raises(ApplicationError, match="The user name “dana” is taken"):
        _create(supervisor)


def test_a_supervisor_needs_no_team(supervisor):
    user = _create(supervisor, role=Role.SUPERVISOR, team=None, password="a long passphrase 42")
    assert user.is_supervisor


def test_change_role_and_team(supervisor, team_lead):
    south = TeamFactory(name="South")
    services.user_change(user=team_lead, acting_user=supervisor, role=Role.API_CONSUMER, team=south)
    team_lead.refresh_from_db()
    assert team_lead.team == south
    assert list(team_lead.groups.values_list("name", flat=True)) == [Role.API_CONSUMER]


def test_what_is_not_given_stays(supervisor, team_lead):
    team = team_lead.team
    services.user_change(user=team_lead, acting_user=supervisor, email="new@example.test")
    team_lead.refresh_from_db()
    assert (team_lead.team, team_lead.email) == (team, "new@example.test")
    assert role_of(team_lead) == Role.TEAM_LEAD


def test_the_last_active_supervisor_cannot_demote_or_deactivate_themselves(supervisor):
    UserFactory(role=Role.SUPERVISOR, is_active=False)  # a deactivated one does not count
    team = TeamFactory()
    with pytest.raises(ApplicationError, match="no active supervisor"):
        services.user_change(
            user=supervisor, acting_user=supervisor, role=Role.TEAM_LEAD, team=team
        )
    with pytest.raises(ApplicationError, match="no active supervisor"):
        services.user_deactivate(user=supervisor, acting_user=supervisor)
    supervisor.refresh_from_db()
    assert supervisor.is_active and role_of(supervisor) == Role.SUPERVISOR


def test_with_another_supervisor_a_supervisor_may_step_down(supervisor):
    other = UserFactory(role=Role.SUPERVISOR)
    services.user_change(
        user=supervisor, acting_user=supervisor, role=Role.TEAM_LEAD, team=TeamFactory()
    )
    assert role_of(supervisor) == Role.TEAM_LEAD
    # Now ``other`` is the last one.
    with pytest.raises(ApplicationError, match="no active supervisor"):
        services.user_deactivate(user=other, acting_user=other)


def test_a_superuser_counts_as_a_supervisor(supervisor):
    UserFactory(is_superuser=True)
    assert services.user_deactivate(user=supervisor, acting_user=supervisor) == 0


def test_deactivate_revokes_tokens_and_stops_logins(supervisor, team_lead):
    services.api_token_create(user=team_lead)
    services.api_token_create(user=team_lead)
    assert services.user_deactivate(user=team_lead, acting_user=supervisor) == 2
    assert authenticate_as(team_lead.username, password="correct-horse-battery") is None
    assert User.objects.filter(pk=team_lead.pk).exists()  # never deleted
    with pytest.raises(ApplicationError, match="already deactivated"):
        services.user_deactivate(user=team_lead, acting_user=supervisor)
    services.user_reactivate(user=team_lead, acting_user=supervisor)
    assert authenticate_as(team_lead.username, password="correct-horse-battery")
    with pytest.raises(ApplicationError, match="already active"):
        services.user_reactivate(user=team_lead, acting_user=supervisor)


def test_password_reset_sends_a_link(supervisor, team_lead):
    services.user_password_reset_send(user=team_lead, acting_user=supervisor)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [team_lead.email]
    assert "/accounts/password/set/" in mail.outbox[0].body
    assert "keeps working until you set a new one" in mail.outbox[0].body


def test_password_reset_needs_an_active_user_with_an_address(supervisor, team_lead):
    team_lead.email = ""
    team_lead.save()
    with pytest.raises(ApplicationError, match="has no e-mail address"):
        services.user_password_reset_send(user=team_lead, acting_user=supervisor)
    team_lead.is_active = False
    team_lead.save()
    with pytest.raises(ApplicationError, match="is deactivated"):
        services.user_password_reset_send(user=team_lead, acting_user=supervisor)
    assert mail.outbox == []


def test_teams_are_created_and_renamed_with_unique_names(supervisor):
    team = services.team_create(name="  North ", acting_user=supervisor)
    assert team.name == "North"
    with pytest.raises(ApplicationError, match="There is already a team “north”"):
        services.team_create(name="north", acting_user=supervisor)
    with pytest.raises(ApplicationError, match="A team needs a name"):
        services.team_rename(team=team, name=" ", acting_user=supervisor)
    services.team_rename(team=team, name="North East", acting_user=supervisor)
    assert Team.objects.get(pk=team.pk).name == "North East"
    # Renaming to its own name in another case is not a clash with itself.
    services.team_rename(team=team, name="north east", acting_user=supervisor)


def test_clearing_an_address_needs_one_with_failures(supervisor):
    with pytest.raises(ApplicationError, match="Say which address to clear"):
        services.lockout_address_clear(address="", acting_user=supervisor)
    with pytest.raises(ApplicationError, match="No failed logins are recorded from 192.0.2.1"):
        services.lockout_address_clear(address="192.0.2.1", acting_user=supervisor)
