"""Starting a campaign none of whose leads its calling window lets the dialer call within
24 hours asks first, with the reason and the start preview (page, HTMX and API: 409 until
``confirm``); with a lead callable soon it starts at once; with no active list it is
refused (``campaigns.readiness``, one place)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from campaigns import services
from campaigns.models import CallingWindow, CallingWindowDay, CampaignLeadList, CampaignStatus
from campaigns.readiness import NO_ACTIVE_LIST
from dialer_console.errors import ConfirmationRequired
from leads.models import Lead
from tests.campaigns.factories import CampaignFactory, LeadListFactory
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db
SATURDAY = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)  # Mon-Fri windows closed till Monday
WEDNESDAY = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York


@pytest.fixture
def campaign(accounts):
    window = CallingWindow.objects.create(name="Weekdays 9-5")
    for day in range(5):
        CallingWindowDay.objects.create(
            calling_window=window, weekday=day, start=dt.time(9), end=dt.time(17)
        )
    campaign = CampaignFactory(
        vendor_account=accounts["jtel"],
        vendor_settings=VALID_SETTINGS["jtel"],
        calling_window=window,
        status=CampaignStatus.DRAFT,
    )
    lead_list = LeadListFactory(team=campaign.team, default_timezone="America/New_York")
    Lead.objects.bulk_create(
        Lead(lead_list=lead_list, phone=f"+1212555{n:04d}", timezone="America/New_York")
        for n in range(3)
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, active=True)
    return campaign


def _status(campaign) -> str:
    campaign.refresh_from_db()
    return campaign.status


@time_machine.travel(SATURDAY, tick=False)
def test_the_service_asks_and_a_confirmed_start_goes_ahead(campaign, supervisor):
    with pytest.raises(ConfirmationRequired) as asked:
        services.campaign_transition(
            campaign=campaign, to_status="active", acting_user=supervisor, ask_if_nothing_soon=True
        )
    assert asked.value.message.startswith("No lead of this campaign can be called in the next")
    assert "in America/New_York on Mon 07 Dec 2026 at 09:00 (America/New_York)" in (
        asked.value.message
    )
    assert _status(campaign) == CampaignStatus.DRAFT
    assert not campaign.sync_jobs.exists()
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    assert _status(campaign) == CampaignStatus.ACTIVE


@time_machine.travel(WEDNESDAY, tick=False)
def test_with_a_lead_callable_soon_the_page_starts_at_once(campaign, supervisor_client):
    url = reverse("campaigns:action", args=[campaign.pk, "start"])
    response = supervisor_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("campaigns:detail", args=[campaign.pk])
    assert _status(campaign) == CampaignStatus.ACTIVE


@time_machine.travel(SATURDAY, tick=False)
def test_the_page_shows_the_reason_and_the_preview_then_starts_when_confirmed(
    campaign, supervisor_client
):
    url = reverse("campaigns:action", args=[campaign.pk, "start"])
    fragment = unescape(supervisor_client.post(url, HTTP_HX_REQUEST="true").content.decode())
    assert fragment.lstrip().startswith('<article class="confirm-step" id="action-confirm-start"')
    assert "No lead of this campaign can be called in the next 24 hours." in fragment
    assert '<tr data-zone="America/New_York"><th scope="row">America/New_York</th>' in fragment
    assert '<td class="num" data-total>3</td>' in fragment
    assert '<input type="hidden" name="confirmed" value="1">' in fragment
    assert "Start the campaign anyway</button>" in fragment
    assert _status(campaign) == CampaignStatus.DRAFT
    # Without JavaScript: the same step as a page of its own.
    page = unescape(supervisor_client.post(url).content.decode())
    assert "<h1>Start “" in page and "No lead of this campaign can be called" in page
    response = supervisor_client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert _status(campaign) == CampaignStatus.ACTIVE


@time_machine.travel(SATURDAY, tick=False)
def test_the_campaign_page_loads_the_preview_before_start(campaign, supervisor_client):
    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content
    url = reverse("sync:campaign-start-preview", args=[campaign.pk])
    assert f'hx-get="{url}" hx-trigger="load"'.encode() in detail
    assert f'hx-post="{reverse("campaigns:action", args=[campaign.pk, "start"])}"'.encode() in (
        detail
    )
    fragment = unescape(supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode())
    assert fragment.lstrip().startswith('<article id="start-preview"')
    assert "<strong>0</strong> leads callable now, <strong>0</strong> later today" in fragment
    assert "Nothing to call in the next 24 hours." in fragment
    assert "calendar days in each lead's own time zone" in fragment
    page = supervisor_client.get(url).content.decode()
    assert "<h1>Before you start: when its leads can be called</h1>" in page
    campaign.status = CampaignStatus.ACTIVE
    campaign.save()
    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content
    assert url.encode() not in detail  # a running campaign shows the breakdown instead


@time_machine.travel(SATURDAY, tick=False)
def test_the_api_answers_409_until_confirm(campaign, api_client, supervisor):
    api_client.force_authenticate(supervisor)
    url = f"/api/v1/campaigns/{campaign.pk}/start/"
    refused = api_client.post(url, {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["extra"]["code"] == "nothing_callable_soon"
    assert refused.json()["message"].startswith("No lead of this campaign can be called")
    assert _status(campaign) == CampaignStatus.DRAFT
    assert api_client.post(url, {"confirm": "maybe"}, format="json").status_code == 400
    started = api_client.post(url, {"confirm": True}, format="json")
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == CampaignStatus.ACTIVE


@time_machine.travel(SATURDAY, tick=False)
def test_the_api_preview_adds_up(campaign, api_client, supervisor):
    api_client.force_authenticate(supervisor)
    reply = api_client.get(f"/api/v1/sync/campaigns/{campaign.pk}/start-preview/").json()
    assert (reply["now"], reply["later"], reply["total"], reply["within_24h"]) == (0, 3, 3, 0)
    [zone] = reply["zones"]
    assert zone["zone"] == "America/New_York" and zone["later"] == zone["total"] == 3
    assert reply["nothing_soon"].startswith("No lead of this campaign")


@time_machine.travel(SATURDAY, tick=False)
def test_no_active_list_is_refused_not_asked(campaign, api_client, supervisor):
    campaign.list_links.update(active=False)
    api_client.force_authenticate(supervisor)
    response = api_client.post(f"/api/v1/campaigns/{campaign.pk}/start/", {"confirm": True})
    assert response.status_code == 400
    assert response.json()["message"] == NO_ACTIVE_LIST
