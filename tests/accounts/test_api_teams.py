"""Teams and lockouts over REST: the same services, rules and messages as the pages."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from accounts.models import Team
from accounts.roles import Role
from tests.accounts.factories import TeamFactory, UserFactory
from tests.accounts.test_views_users import _attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def test_supervisors_list_add_read_and_rename_teams(api, team_lead):
    TeamFactory(name="Nord")
    body = api.get("/api/v1/teams/").json()
    assert [row["name"] for row in body["results"]] == list(
        Team.objects.order_by("name").values_list("name", flat=True)
    )
    created = api.post("/api/v1/teams/", {"name": "Süd"}, format="json")
    assert created.status_code == 201 and created.json()["name"] == "Süd"
    taken = api.post("/api/v1/teams/", {"name": "nord"}, format="json")
    assert taken.status_code == 400 and "already a team" in str(taken.json())
    team = api.get(f"/api/v1/teams/{team_lead.team_id}/").json()
    assert [(m["username"], m["role"]) for m in team["members"]] == [
        (team_lead.username, Role.TEAM_LEAD)
    ]
    renamed = api.patch(f"/api/v1/teams/{team_lead.team_id}/", {"name": "West"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "West"
    assert (
        api.patch(f"/api/v1/teams/{team_lead.team_id}/", {"name": " "}, format="json").status_code
        == 400
    )
    assert api.get("/api/v1/teams/", {"colour": "red"}).status_code == 400
    assert api.get(f"/api/v1/teams/{2**70}/").status_code == 404


def test_a_team_lead_reads_only_their_own_team(api_client, team_lead):
    other = TeamFactory(name="Other")
    UserFactory(role=Role.TEAM_LEAD, team=other)
    colleague = UserFactory(role=Role.TEAM_LEAD, team=team_lead.team)
    api_client.force_authenticate(team_lead)
    body = api_client.get("/api/v1/teams/").json()
    assert [row["id"] for row in body["results"]] == [team_lead.team_id]
    team = api_client.get(f"/api/v1/teams/{team_lead.team_id}/").json()
    assert {m["username"] for m in team["members"]} == {team_lead.username, colleague.username}
    assert api_client.get(f"/api/v1/teams/{other.pk}/").status_code == 404
    assert api_client.post("/api/v1/teams/", {"name": "Mine"}, format="json").status_code == 403
    assert (
        api_client.patch(f"/api/v1/teams/{team_lead.team_id}/", {"name": "X"}, format="json")
    ).status_code == 403


def test_lockouts_are_listed_and_cleared(api, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 5
    locked = _attempt("dana", "203.0.113.7", 3)
    _attempt("eve", "203.0.113.7", 2)
    counting = _attempt("finn", "198.51.100.9", 1)
    body = api.get("/api/v1/lockouts/").json()
    assert {row["username"]: row["locked"] for row in body["attempts"]} == {
        "dana": True, "eve": False, "finn": False,
    }  # fmt: skip
    assert [(row["address"], row["failures"]) for row in body["addresses"]] == [("203.0.113.7", 5)]
    assert (body["user_limit"], body["address_limit"]) == (3, 5)
    assert api.delete(f"/api/v1/lockouts/{counting.pk}/").status_code == 204
    cleared = api.post("/api/v1/lockouts/address/clear/", {"address": "203.0.113.7"}, format="json")
    assert cleared.status_code == 200 and cleared.json() == {"cleared": 2}
    assert not AccessAttempt.objects.exists()
    gone = api.delete(f"/api/v1/lockouts/{locked.pk}/")
    assert gone.status_code == 400 and "gone already" in str(gone.json())
    bad = api.post("/api/v1/lockouts/address/clear/", {"address": "not-an-ip"}, format="json")
    assert bad.status_code == 400
    none = api.post("/api/v1/lockouts/address/clear/", {"address": "192.0.2.1"}, format="json")
    assert none.status_code == 400 and "No failed logins" in str(none.json())


def test_team_leads_see_no_lockouts(api_client, team_lead):
    api_client.force_authenticate(team_lead)
    assert api_client.get("/api/v1/lockouts/").status_code == 403
