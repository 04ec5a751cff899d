"""Recycling by hand (issue #14 point 4) and the recycling API: the preview counts the
rows the move then moves, within the user's team; bad input is a 400 with its reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignLeadList, LeadDisposition
from dialer_console.errors import ApplicationError
from results.models import Callback, RecycleRule
from results.recycling import by_hand
from sync.models import LeadSync, LeadSyncState
from tests.accounts.factories import TeamFactory, UserFactory
from tests.sync.push_counts_check import push_counts_mismatches


@pytest.fixture
def supervisor(db):
    return UserFactory(role="Supervisor")


def _choose(scenario, user, *, target=None, outcomes=(), codes=()):
    return by_hand.recycle_choice(
        source=scenario.campaign, target_id=target.pk if target else None, user=user,
        dialer_outcomes=list(outcomes), disposition_codes=list(codes),
    )  # fmt: skip


def _pending(campaign) -> set[int]:
    return set(
        LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING).values_list(
            "lead_id", flat=True
        )
    )


def test_the_preview_counts_the_rows_the_move_moves(scenario, supervisor):
    north, south, other = scenario.leads["north"], scenario.leads["south"], scenario.leads["other"]
    # Already pushed rows of the campaign: two go back to PENDING, the rest stay.
    for lead in (north[0], north[1], south[0]):
        LeadSync.objects.create(campaign=scenario.campaign, lead=lead, state="pushed")
    # A person recorded NA on south[1] after the dialer's CB: its latest outcome is NA.
    LeadDisposition.objects.create(campaign=scenario.campaign, lead=south[1], code="NA",
                                   label="No answer")  # fmt: skip
    choice = _choose(scenario, supervisor, codes=["NA", "SALE"])
    # NA: north 1 and 2, south 1 (by disposition); SALE: north 0 and the other team's
    # lead (the supervisor sees it); the switched-off list's SALE is not in the target.
    expected = {north[0].pk, north[1].pk, north[2].pk, south[1].pk, other[0].pk}
    assert by_hand.recycle_preview(choice=choice, user=supervisor) == len(expected)
    assert by_hand.recycle_by_hand(choice=choice, user=supervisor) == len(expected)
    assert _pending(scenario.campaign) == expected
    assert LeadSync.objects.get(campaign=scenario.campaign, lead=south[0]).state == "pushed"
    assert not push_counts_mismatches()


def test_a_team_lead_moves_only_leads_of_their_team(scenario):
    choice = _choose(scenario, scenario.team_lead, codes=["SALE"])
    assert by_hand.recycle_preview(choice=choice, user=scenario.team_lead) == 1
    assert by_hand.recycle_by_hand(choice=choice, user=scenario.team_lead) == 1
    assert _pending(scenario.campaign) == {scenario.leads["north"][0].pk}


def test_to_another_campaign_of_the_team_only_leads_of_its_lists(scenario, supervisor):
    target = Campaign.objects.create(name="Autumn", team=scenario.campaign.team)
    CampaignLeadList.objects.create(campaign=target, lead_list=scenario.lists["north"])
    # A lead done (final) in the target is not sent to it again.
    LeadDisposition.objects.create(campaign=target, lead=scenario.leads["north"][2], code="SALE",
                                   label="Sale", is_final=True)  # fmt: skip
    choice = _choose(scenario, supervisor, target=target, codes=["NA", "SALE"])
    assert by_hand.recycle_preview(choice=choice, user=supervisor) == 2
    assert by_hand.recycle_by_hand(choice=choice, user=supervisor) == 2
    north = scenario.leads["north"]
    assert _pending(target) == {north[0].pk, north[1].pk}
    assert not LeadSync.objects.filter(campaign=scenario.campaign).exists()


def test_a_team_lead_cannot_recycle_into_another_teams_campaign(scenario):
    elsewhere = Campaign.objects.create(name="Theirs", team=TeamFactory(name="Team C"))
    CampaignLeadList.objects.create(campaign=elsewhere, lead_list=scenario.lists["north"])
    with pytest.raises(ApplicationError, match="same team"):
        _choose(scenario, scenario.team_lead, target=elsewhere, codes=["NA"])
    # Not a supervisor either: leads stay within the source's team.
    with pytest.raises(ApplicationError, match="same team"):
        _choose(scenario, UserFactory(role="Supervisor"), target=elsewhere, codes=["NA"])
    assert not LeadSync.objects.exists()


def test_the_api_previews_then_moves(scenario, client):
    client.force_login(scenario.team_lead)
    url = reverse("api-campaign-recycle", args=[scenario.campaign.pk])
    body = {"disposition_codes": ["NA"], "preview": True}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"leads": 2, "moved": False, "target_campaign": scenario.campaign.pk}
    assert not LeadSync.objects.exists()
    response = client.post(url, {**body, "preview": False}, content_type="application/json")
    assert response.json()["leads"] == 2 == len(_pending(scenario.campaign))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"dialer_outcomes": ["LOUD"]}, "not a valid choice"),
        ({}, "Choose at least one outcome"),
        ({"disposition_codes": ["XX"]}, "Not a code of the campaign's disposition list"),
        ({"disposition_codes": ["NA"], "target_campaign": 0}, "greater than or equal to 1"),
        ({"disposition_codes": ["NA"], "target_campaign": 987654}, "same team"),
        ({"disposition_codes": "NA"}, "list"),
    ],
)
def test_the_api_refuses_bad_input_with_a_400(scenario, client, body, words):
    client.force_login(scenario.team_lead)
    url = reverse("api-campaign-recycle", args=[scenario.campaign.pk])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert words in response.content.decode()


def test_another_teams_campaign_is_not_found(scenario, client):
    client.force_login(UserFactory(role="Team lead", team=TeamFactory(name="Team C")))
    url = reverse("api-campaign-recycle", args=[scenario.campaign.pk])
    response = client.post(url, {"disposition_codes": ["NA"]}, content_type="application/json")
    assert response.status_code == 404


def test_rules_over_the_api(scenario, client, supervisor):
    client.force_login(supervisor)
    url = reverse("api-campaign-recycle-rules", args=[scenario.campaign.pk])
    rules = [
        {"match_kind": "dialer", "match_code": "BUSY", "action": "delay", "delay_minutes": 30,
         "max_times": 3},
        {"match_kind": "disposition", "match_code": "NA", "action": "next_day", "max_times": 1},
    ]  # fmt: skip
    response = client.put(url, {"rules": rules}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["rules"][1] == {**rules[1], "delay_minutes": None}
    assert client.get(url).json()["rules"][0] == rules[0]
    bad = [{**rules[0], "match_code": "LOUD"}, {**rules[1], "match_code": "XX"}]
    response = client.put(url, {"rules": bad}, content_type="application/json")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Row 1: “LOUD” is not a dialer result" in text and "Row 2: “XX”" in text
    response = client.put(
        url, {"rules": [{**rules[0], "delay_minutes": 0}]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert RecycleRule.objects.filter(campaign=scenario.campaign).count() == 2
    list_url = reverse(
        "api-disposition-list-recycle-rules", args=[scenario.campaign.disposition_list_id]
    )
    response = client.put(list_url, {"rules": rules[1:]}, content_type="application/json")
    assert response.status_code == 200
    assert RecycleRule.objects.filter(disposition_list__isnull=False).count() == 1
    # A team lead reads the campaign's rules, does not change them.
    client.force_login(scenario.team_lead)
    assert client.get(url).status_code == 200
    assert client.put(url, {"rules": []}, content_type="application/json").status_code == 403


def test_callbacks_over_the_api(scenario, client):
    import datetime as dt

    from django.utils import timezone

    north = scenario.leads["north"]
    now = timezone.now()
    for index, hours in enumerate((-3, -2, 5)):
        disposition = LeadDisposition.objects.create(
            campaign=scenario.campaign, lead=north[index], code="CBT", label="Call back",
            is_callback=True, callback_at=now + dt.timedelta(hours=hours),
        )  # fmt: skip
        Callback.objects.create(campaign=scenario.campaign, lead=north[index],
                                disposition=disposition, due_at=disposition.callback_at,
                                via="repush")  # fmt: skip
    client.force_login(scenario.team_lead)
    data = client.get(reverse("api-campaign-callbacks", args=[scenario.campaign.pk])).json()
    assert (data["open"], data["missed"]) == (3, 2)
    assert [row["lead"] for row in data["missed_first"]] == [north[0].pk, north[1].pk]
