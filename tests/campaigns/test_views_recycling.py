"""Recycling rules edited as rows of the disposition list and campaign forms, the
recycle-by-hand page, and the campaign page's callbacks (issue #14 points 4 and 5)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignLeadList, DispositionList, LeadDisposition
from results.models import Callback, RecycleRule
from sync.models import LeadSync
from tests.accounts.factories import TeamFactory
from tests.campaigns.page_forms import form_data

CODES = {
    "name": "Outcomes",
    "codes-TOTAL": "2",
    "codes-0-code": "NA",
    "codes-0-label": "No answer",
    "codes-1-code": "SALE",
    "codes-1-label": "Sale",
    "codes-1-is_final": "on",
}


def test_rules_are_rows_of_the_disposition_list_form(supervisor_client):
    rules = {
        "recycle_rules-TOTAL": "3",
        "recycle_rules-0-match_kind": "dialer",
        "recycle_rules-0-match_code": "BUSY",
        "recycle_rules-0-action": "delay",
        "recycle_rules-0-delay_minutes": "30",
        "recycle_rules-0-max_times": "3",
        "recycle_rules-1-match_kind": "disposition",
        "recycle_rules-1-match_code": "NA",
        "recycle_rules-1-action": "next_day",
        "recycle_rules-1-max_times": "1",
        # A blank row as the page posts it: its defaults only.
        "recycle_rules-2-match_kind": "dialer",
        "recycle_rules-2-action": "delay",
        "recycle_rules-2-max_times": "3",
    }
    response = supervisor_client.post(reverse("campaigns:disposition-list-new"), CODES | rules)
    assert response.status_code == 302
    saved = DispositionList.objects.get()
    assert list(
        RecycleRule.objects.filter(disposition_list=saved).values_list(
            "match_code", "action", "delay_minutes", "max_times"
        )
    ) == [("BUSY", "delay", 30, 3), ("NA", "next_day", None, 1)]
    edit = supervisor_client.get(reverse("campaigns:disposition-list-edit", args=[saved.pk]))
    data = form_data(edit.content.decode(), "disposition-list-form")
    assert data["recycle_rules-0-match_code"] == "BUSY"
    assert data["recycle_rules-1-action"] == "next_day"


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ({"match_kind": "disposition", "match_code": "XX", "action": "delay",
          "delay_minutes": "5", "max_times": "2"}, "“XX” is not a code of the list"),
        ({"match_kind": "dialer", "match_code": "BUSY", "action": "delay",
          "max_times": "2"}, "give the delay in minutes"),
        ({"match_kind": "dialer", "match_code": "BUSY", "action": "delay",
          "delay_minutes": "5", "max_times": "0"}, "Ensure this value is greater than"),
    ],
)  # fmt: skip
def test_a_bad_rule_row_is_refused_in_words(supervisor_client, row, words):
    data = CODES | {"recycle_rules-TOTAL": "1"}
    data |= {f"recycle_rules-0-{key}": value for key, value in row.items()}
    response = supervisor_client.post(reverse("campaigns:disposition-list-new"), data)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not DispositionList.objects.exists()


@pytest.fixture
def scenario_db(db):
    from tests.results.scenario import build_scenario

    return build_scenario()


def test_the_campaign_page_counts_missed_callbacks_from_rows(client, scenario_db):
    campaign, north = scenario_db.campaign, scenario_db.leads["north"]
    other = scenario_db.leads["other"][0]  # a list of team B in team A's campaign
    now = timezone.now()
    for lead, hours in ((north[0], -3), (north[1], -1), (north[2], 2), (other, -2)):
        disposition = LeadDisposition.objects.create(
            campaign=campaign, lead=lead, code="CBT", label="x", is_callback=True,
            callback_at=now + dt.timedelta(hours=hours),
        )  # fmt: skip
        Callback.objects.create(campaign=campaign, lead=lead, disposition=disposition,
                                due_at=disposition.callback_at, via="repush")  # fmt: skip
    Callback.objects.filter(lead=north[1]).update(state="done")
    client.force_login(scenario_db.team_lead)
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    missed = re.search(r'data-figure="callbacks-missed">(\d+)<', html).group(1)
    opened = re.search(r'data-figure="callbacks-open">(\d+)<', html).group(1)
    # The team lead's rows: north 0 (missed) and north 2 (open, not due); not team B's.
    rows = Callback.objects.filter(campaign=campaign, state="open",
                                   lead__lead_list__team=campaign.team)  # fmt: skip
    assert int(opened) == rows.count() == 2
    assert int(missed) == rows.filter(due_at__lt=now - dt.timedelta(minutes=15)).count() == 1
    assert north[0].phone in html and other.phone not in html


def test_the_recycle_page_previews_then_sends(client, scenario_db):
    campaign = scenario_db.campaign
    client.force_login(scenario_db.team_lead)
    url = reverse("results:campaign-recycle", args=[campaign.pk])
    assert client.get(url).status_code == 200
    body = {"disposition_codes": ["NA"], "target_campaign": ""}
    preview = client.post(url, {**body, "_preview": "1"}).content.decode()
    count = re.search(r"<strong>(\d+)</strong> leads? would be sent again", preview).group(1)
    assert not LeadSync.objects.exists()
    response = client.post(url, body)
    assert response.status_code == 302
    assert LeadSync.objects.filter(campaign=campaign, state="pending").count() == int(count) == 2
    fragment = client.post(url, {**body, "_preview": "1"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="recycle-preview"')


def test_the_recycle_page_offers_no_other_teams_campaign(client, scenario_db):
    theirs = Campaign.objects.create(name="Theirs", team=TeamFactory(name="Team C"))
    CampaignLeadList.objects.create(campaign=theirs, lead_list=scenario_db.lists["north"])
    client.force_login(scenario_db.team_lead)
    url = reverse("results:campaign-recycle", args=[scenario_db.campaign.pk])
    assert "Theirs" not in client.get(url).content.decode()
    response = client.post(url, {"disposition_codes": ["NA"], "target_campaign": theirs.pk})
    assert response.status_code == 422
    assert not LeadSync.objects.exists()
    response = client.post(url, {"target_campaign": ""})
    assert response.status_code == 422
    assert "Choose at least one outcome." in response.content.decode()


def test_a_draft_campaigns_rules_are_saved_with_its_form(supervisor_client):
    from tests.campaigns.factories import disposition_list_with_codes

    codes = disposition_list_with_codes()
    base = {
        "name": "Rules", "dial_method": "preview", "retry_count": "0",
        "retry_interval_minutes": "60", "wrap_up_seconds": "30", "ring_timeout_seconds": "30",
        "disposition_list": codes.pk, "recycle_rules-TOTAL": "1",
        "recycle_rules-0-match_kind": "disposition", "recycle_rules-0-match_code": "NA",
        "recycle_rules-0-action": "next_day", "recycle_rules-0-max_times": "2",
    }  # fmt: skip
    response = supervisor_client.post(reverse("campaigns:create"), base)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert list(campaign.recycle_rules.values_list("match_code", "action", "max_times")) == [
        ("NA", "next_day", 2)
    ]
    edit = supervisor_client.get(reverse("campaigns:edit", args=[campaign.pk])).content.decode()
    assert form_data(edit, "campaign-form")["recycle_rules-0-match_code"] == "NA"
    # A code of no list the campaign uses is refused, the rules kept as they were.
    response = supervisor_client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        {**base, "disposition_list": "", "recycle_rules-0-match_code": "NA"},
    )
    assert response.status_code == 422
    assert "“NA” is not a code of the list" in response.content.decode()
    assert campaign.recycle_rules.count() == 1
