"""Users over REST: the same services, rules and messages as the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from knox.models import AuthToken

from accounts.models import User
from accounts.roles import Role
from accounts.services import api_token_create
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def test_list_filters_and_pages(api, supervisor, team_lead):
    UserFactory(role=Role.TEAM_LEAD, team=team_lead.team, is_active=False)
    body = api.get("/api/v1/users/").json()
    assert [row["username"] for row in body["results"]] == list(
        User.objects.order_by("id").values_list("username", flat=True)
    )
    body = api.get("/api/v1/users/", {"active": "true", "role": Role.TEAM_LEAD}).json()
    assert [row["id"] for row in body["results"]] == [team_lead.pk]
    row = body["results"][0]
    assert row["role"] == Role.TEAM_LEAD
    assert (row["team"], row["team_name"]) == (team_lead.team_id, team_lead.team.name)
    refused = api.get("/api/v1/users/", {"colour": "red"})
    assert refused.status_code == 400


def test_create_invites_and_the_rules_are_the_pages(api, supervisor):
    team = TeamFactory()
    response = api.post(
        "/api/v1/users/",
        {"username": "dana", "email": "d@x.test", "role": Role.TEAM_LEAD, "team": team.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["has_password"] is False
    assert "password" not in response.json()
    assert len(mail.outbox) == 1
    again = api.post(
        "/api/v1/users/",
        {"username": "DANA", "role": Role.SUPERVISOR, "password": "a long passphrase 42"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json() == {
        "message": "The user name “DANA” is taken (deactivated users keep theirs).",
        "extra": {"field": "username"},
    }
    no_team = api.post(
        "/api/v1/users/", {"username": "x", "role": Role.TEAM_LEAD, "team": 987654}, format="json"
    )
    assert no_team.json()["message"] == "There is no team 987654."


def test_change_and_the_last_supervisor(api, supervisor, team_lead):
    south = TeamFactory(name="South")
    response = api.patch(
        f"/api/v1/users/{team_lead.pk}/", {"team": south.pk, "first_name": "Dana"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["team_name"], response.json()["first_name"]) == ("South", "Dana")
    assert response.json()["role"] == Role.TEAM_LEAD
    refused = api.patch(
        f"/api/v1/users/{supervisor.pk}/", {"role": Role.TEAM_LEAD, "team": south.pk}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["extra"] == {"code": "last_supervisor"}
    refused = api.post(f"/api/v1/users/{supervisor.pk}/deactivate/")
    assert refused.json()["message"].startswith("This would leave no active supervisor")
    assert api.get("/api/v1/users/987654/").status_code == 404


def test_deactivate_reactivate_and_password_link(api, team_lead):
    api_token_create(user=team_lead)
    response = api.post(f"/api/v1/users/{team_lead.pk}/deactivate/")
    assert response.json()["is_active"] is False
    assert not AuthToken.objects.filter(user=team_lead).exists()
    refused = api.post(f"/api/v1/users/{team_lead.pk}/password-link/")
    assert refused.status_code == 400
    response = api.post(f"/api/v1/users/{team_lead.pk}/reactivate/")
    assert response.json()["is_active"] is True
    assert api.post(f"/api/v1/users/{team_lead.pk}/password-link/").status_code == 204
    assert mail.outbox[0].to == [team_lead.email]


def test_tokens_are_listed_and_revoked_without_their_secret(api, team_lead):
    token, secret = api_token_create(user=team_lead)
    listed = api.get(f"/api/v1/users/{team_lead.pk}/tokens/")
    assert [row["token_key"] for row in listed.json()] == [token.token_key]
    assert secret not in listed.content.decode()
    assert api.delete(f"/api/v1/users/{team_lead.pk}/tokens/{token.token_key}/").status_code == 204
    again = api.delete(f"/api/v1/users/{team_lead.pk}/tokens/{token.token_key}/")
    assert again.json()["message"] == "That token is gone already (expired or revoked)."


def test_a_revoked_token_no_longer_authenticates(api_client, supervisor, team_lead):
    _, secret = api_token_create(user=team_lead)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api_client.get("/api/v1/lead-lists/").status_code == 200
    api_client.force_authenticate(supervisor)
    token = AuthToken.objects.get(user=team_lead)
    api_client.delete(f"/api/v1/users/{team_lead.pk}/tokens/{token.token_key}/")
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/lead-lists/").status_code == 401
