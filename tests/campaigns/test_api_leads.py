"""The campaign leads API: keyset pages with each lead's sync state, and recording an
outcome with the same words as the page."""

from __future__ import annotations

import pytest

from campaigns.models import LeadDisposition
from sync.models import LeadSync
from tests.campaigns.factories import disposition_list_with_codes
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.models import VendorAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_and_leads(db):
    account = VendorAccount.objects.create(name="webitel api", kind="webitel")
    lead_list = lead_list_with_leads(60)
    lead_list.total_count = 60
    lead_list.save()
    campaign = campaign_on(account, lead_list=lead_list)
    campaign.disposition_list = disposition_list_with_codes()
    campaign.save()
    return campaign, list(lead_list.leads.order_by("pk"))


@pytest.fixture
def supervisor_api(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def test_pages_of_leads_with_their_sync_state(supervisor_api, campaign_and_leads):
    campaign, leads = campaign_and_leads
    LeadSync.objects.create(campaign=campaign, lead=leads[0], state="pushed", remote_id="m-1")
    url = f"/api/v1/campaigns/{campaign.pk}/leads/"
    first = supervisor_api.get(url).json()
    assert len(first["results"]) == 50 and first["next_after"] == leads[49].pk
    assert first["leads_in_lists"] == 60
    row = first["results"][0]
    assert (row["id"], row["sync_state"], row["remote_id"]) == (leads[0].pk, "pushed", "m-1")
    assert first["results"][1]["sync_state"] == "not_queued"
    second = supervisor_api.get(url, {"after": first["next_after"]}).json()
    assert [r["id"] for r in second["results"]] == [lead.pk for lead in leads[50:]]
    assert second["next_after"] is None
    pushed = supervisor_api.get(url, {"state": "pushed"}).json()
    assert [r["id"] for r in pushed["results"]] == [leads[0].pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [({"state": "nope"}, "Unknown filter “nope”."), ({"after": "-3"}, "“after” must be")],
)
def test_bad_query_is_a_400_in_words(supervisor_api, campaign_and_leads, query, message):
    campaign, _ = campaign_and_leads
    response = supervisor_api.get(f"/api/v1/campaigns/{campaign.pk}/leads/", query)
    assert response.status_code == 400 and message in response.json()["message"]


def test_record_an_outcome(supervisor_api, campaign_and_leads):
    campaign, leads = campaign_and_leads
    url = f"/api/v1/campaigns/{campaign.pk}/leads/{leads[0].pk}/disposition/"
    response = supervisor_api.post(url, {"code": "CB", "note": "after 5"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "CB" and body["is_callback"] and body["callback_at"]
    assert body["note"] == "after 5" and body["lead"] == leads[0].pk
    listed = supervisor_api.get(f"/api/v1/campaigns/{campaign.pk}/leads/").json()["results"][0]
    assert listed["disposition"]["code"] == "CB" and not listed["done"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "CBT"}, "“CBT” is a callback: give the time to call back."),
        ({"code": "XYZ"}, "“XYZ” is not a code of the disposition list “Outcomes”."),
        (
            {"code": "NA", "callback_at": "2099-01-01T10:00:00Z"},
            "“NA” is not a callback code: leave the callback time empty.",
        ),
    ],
)
def test_refusals_have_the_pages_words(supervisor_api, campaign_and_leads, data, message):
    campaign, leads = campaign_and_leads
    url = f"/api/v1/campaigns/{campaign.pk}/leads/{leads[0].pk}/disposition/"
    response = supervisor_api.post(url, data, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert not LeadDisposition.objects.exists()


def test_malformed_input_is_a_400_per_field(supervisor_api, campaign_and_leads):
    campaign, leads = campaign_and_leads
    url = f"/api/v1/campaigns/{campaign.pk}/leads/{leads[0].pk}/disposition/"
    response = supervisor_api.post(url, {"callback_at": "soon"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "callback_at"}


def test_api_consumers_read_but_do_not_record(api_client, api_consumer, campaign_and_leads):
    campaign, leads = campaign_and_leads
    campaign.team = api_consumer.team
    campaign.save()
    api_client.force_authenticate(api_consumer)
    assert api_client.get(f"/api/v1/campaigns/{campaign.pk}/leads/").status_code == 200
    url = f"/api/v1/campaigns/{campaign.pk}/leads/{leads[0].pk}/disposition/"
    assert api_client.post(url, {"code": "NA"}, format="json").status_code == 403
