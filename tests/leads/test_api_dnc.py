"""/api/v1/dnc-entries/: list with filters and cursor pages, create one or many, read,
change reason and expiry, remove; who may do what; expected failures in the error shape."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.models import DncEntry, Lead, LeadStatus
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db
ENTRIES = reverse("api-dnc-entries")
BULK = reverse("api-dnc-entries-bulk")


def _entry(pk: int) -> str:
    return reverse("api-dnc-entry", args=[pk])


@pytest.fixture
def boss(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def test_create_read_patch_delete(boss, supervisor):
    lead = LeadFactory(phone="+12125550100")
    created = boss.post(ENTRIES, {"phone": "(212) 555-0100", "reason": "Asked"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["phone"] == "+12125550100" and body["scope"] == "everywhere"
    assert body["active"] is True and body["source"] == "api"
    assert body["created_by"] == supervisor.username
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DNC
    url = _entry(body["id"])
    assert boss.get(url).json()["reason"] == "Asked"
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    patched = boss.patch(url, {"expires_at": past, "reason": "Ended"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["active"] is False and patched.json()["reason"] == "Ended"
    assert boss.delete(url).status_code == 204
    assert not DncEntry.objects.exists()
    assert boss.get(url).status_code == 404


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"phone": "nope"}, "“nope” is not a valid phone number when read as US.", "phone"),
        ({"phone": "2125550199", "scope": "list"}, "Choose the lead list.", "lead_list"),
        ({"phone": "2125550199", "scope": "campaign"}, "Choose the campaign.", "campaign"),
        (
            {"phone": "2125550199", "scope": "campaign", "campaign": 987654},
            "There is no campaign 987654.",
            "campaign",
        ),
        (
            {"phone": "2125550199", "scope": "list", "lead_list": 987654},
            "There is no lead list 987654 you may list numbers on.",
            "lead_list",
        ),
    ],
)
def test_expected_failures_answer_the_error_shape(boss, data, message, field):
    response = boss.post(ENTRIES, data, format="json")
    assert response.status_code == 400
    assert response.json() == {"message": message, "extra": {"field": field}}
    assert not DncEntry.objects.exists()


def test_a_number_already_listed_in_the_scope_is_refused_with_its_entry(boss):
    entry = DncEntryFactory(phone="+12125550100")
    response = boss.post(ENTRIES, {"phone": "212-555-0100"}, format="json")
    assert response.status_code == 400
    assert response.json()["extra"] == {
        "field": "phone",
        "code": "already_listed",
        "entry": entry.pk,
    }


def test_bulk_add_gives_a_result_per_number(boss):
    DncEntryFactory(phone="+12125550101")
    lead_list = LeadListFactory()
    response = boss.post(
        BULK,
        {
            "phones": ["030 1234567", "x", "+12125550101", ""],
            "country": "DE",
            "scope": "everywhere",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(r["index"], r["outcome"], r["e164"]) for r in body["results"]] == [
        (0, "added", "+49301234567"),
        (1, "invalid", ""),
        (2, "already_listed", "+12125550101"),
        (3, "invalid", ""),
    ]
    assert body["results"][3]["message"] == "The phone number is empty."
    assert body["results"][1]["message"] == "“x” is not a valid phone number when read as DE."
    assert body["counts"]["added"] == 1 and body["counts"]["invalid"] == 2
    in_list = boss.post(
        BULK, {"phones": ["2125550101"], "scope": "list", "lead_list": lead_list.pk}, format="json"
    )
    assert in_list.json()["results"][0]["outcome"] == "added"


def test_bulk_add_refuses_too_many_and_none(boss):
    too_many = boss.post(BULK, {"phones": ["2125550100"] * 10_001}, format="json")
    assert too_many.status_code == 400
    assert "phones" in too_many.json()
    empty = boss.post(BULK, {"phones": []}, format="json")
    assert empty.status_code == 400
    assert empty.json()["message"] == "Enter at least one phone number."


def test_list_filters_and_cursor_pages(boss):
    past = timezone.now() - datetime.timedelta(days=1)
    lead_list = LeadListFactory()
    us = DncEntryFactory(phone="+12125550100")
    expired = DncEntryFactory(
        phone="+12125550101", scope="list", lead_list=lead_list, expires_at=past
    )
    de = DncEntryFactory(phone="+49301234567")

    def ids(**params):
        return [row["id"] for row in boss.get(ENTRIES, params).json()["results"]]

    assert ids() == [de.pk, expired.pk, us.pk]
    assert ids(phone="(212) 555-0100") == [us.pk]
    assert ids(phone="030 1234567", country="DE") == [de.pk]
    assert ids(phone="+4930") == [de.pk]
    assert ids(scope="list") == [expired.pk]
    assert ids(active="false") == [expired.pk]
    assert ids(active="true") == [de.pk, us.pk]
    first = boss.get(ENTRIES, {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == [de.pk, expired.pk]
    second = boss.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [us.pk] and second["next"] is None
    bad = boss.get(ENTRIES, {"phone": "abc"})
    assert bad.status_code == 400 and bad.json()["extra"] == {"field": "phone"}


def test_api_consumers_read_only(api_client, api_consumer):
    api_client.force_authenticate(api_consumer)
    entry = DncEntryFactory(phone="+12125550100")
    assert api_client.get(ENTRIES).status_code == 200
    assert api_client.get(_entry(entry.pk)).status_code == 200
    assert api_client.post(ENTRIES, {"phone": "2125550101"}, format="json").status_code == 403
    assert api_client.post(BULK, {"phones": ["2125550101"]}, format="json").status_code == 403
    assert api_client.patch(_entry(entry.pk), {"reason": "x"}, format="json").status_code == 403
    assert api_client.delete(_entry(entry.pk)).status_code == 403
    assert DncEntry.objects.count() == 1 and DncEntry.objects.get().reason == ""


def test_team_leads_manage_their_own_lists_entries_only(api_client, team_lead):
    api_client.force_authenticate(team_lead)
    own = LeadListFactory(team=team_lead.team)
    foreign = LeadListFactory()
    LeadFactory(lead_list=own, phone="+12125550100")
    created = api_client.post(
        ENTRIES, {"phone": "2125550100", "scope": "list", "lead_list": own.pk}, format="json"
    )
    assert created.status_code == 201
    assert Lead.objects.get().status == LeadStatus.DNC
    everywhere = api_client.post(ENTRIES, {"phone": "2125550101"}, format="json")
    assert everywhere.status_code == 400
    assert "only on your own team's lead lists" in everywhere.json()["message"]
    other = api_client.post(
        ENTRIES, {"phone": "2125550101", "scope": "list", "lead_list": foreign.pk}, format="json"
    )
    assert other.status_code == 400
    hidden = DncEntryFactory(phone="+12125550102", scope="list", lead_list=foreign)
    global_ = DncEntryFactory(phone="+12125550103")
    listed = [row["id"] for row in api_client.get(ENTRIES).json()["results"]]
    assert listed == [global_.pk, created.json()["id"]]
    assert api_client.get(_entry(hidden.pk)).status_code == 404
    assert api_client.delete(_entry(global_.pk)).status_code == 400
    assert api_client.patch(_entry(created.json()["id"]), {"reason": "x"}).status_code == 403
    assert api_client.delete(_entry(created.json()["id"])).status_code == 204
