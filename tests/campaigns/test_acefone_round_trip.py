"""Saving an Acefone campaign with every vendor-only field set and reopening it gives the
same values: through the form page (no JavaScript) and through the API. The derived
fields (field_map.py) are the campaign's and never stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from tests.campaigns.page_forms import form_data
from tests.campaigns.vendor_data import html_data
from vendors.adapters.acefone.field_map import FIELD_MAP
from vendors.adapters.acefone.forms import AcefoneCampaignForm

# Every vendor-only field but dial_ratio, which applies only to the Ratio dial method.
EVERY_FIELD_PREVIEW = {
    "auto_dial_duration": "12",
    "agent_wise_caller_id": 1,
    "lead_list_map": [{"list_id": 11, "list_status": 1}, {"list_id": 12, "list_status": 0}],
    "agent_wise_lead_list": 1,
    "list_traversal_order": "3",
    "agent_script": "44",
    "dial_status": ["NEW", "FAILED"],
    "time_group_recording": "8",
    "quick_transfer_list": "9",
    "account_dnd_list": "10",
    "hide_lead_details": 1,
    "update_lead_details": 1,
    "automatic_schedule_call_enabled": 1,
    "enable_hangup": 1,
    "enable_external_transfer": 1,
    "after_call_work_duration": "15",
    "enable_web_form": 1,
    "webform_url": "https://crm.example.test/form",
    "music_on_hold": "13",
    "ring_strategy": "2",
    "enable_transfer": 1,
    "manual_lead_list": ["21", "22"],
    "map_agent_caller_id": "5101:918045678900",
    "map_agent_lead_list": "5101:11",
    "connect_agent_through": "3",
    "dial_in_type": "2",
    "agent_only_callback": 1,
    "agent_dial_in_number": "918045678999",
    "enforce_agent_pause_code": 1,
    "manual_dial_enabled": 1,
    "enable_inbound": 1,
    "inbound_queue": "15",
    "enable_agent_opt_out": 1,
    "inbound_lead_list": "16",
    "enable_auto_answer": 1,
    "call_qualification_duration": "20",
    "announcement_recording": "17",
    "queue_timeout": "60",
}
EVERY_FIELD_RATIO = {**EVERY_FIELD_PREVIEW, "dial_ratio": "2.5"}
del EVERY_FIELD_RATIO["auto_dial_duration"]
DIAL_METHOD = {id(EVERY_FIELD_PREVIEW): "preview", id(EVERY_FIELD_RATIO): "ratio"}


def test_the_test_data_covers_every_documented_field():
    covered = set(EVERY_FIELD_PREVIEW) | set(EVERY_FIELD_RATIO) | FIELD_MAP.names
    assert covered == set(AcefoneCampaignForm.base_fields)


def _create_page_data(account, settings) -> dict:
    return {
        "name": "Round trip",
        "vendor_account": str(account.pk),
        "dial_method": DIAL_METHOD[id(settings)],
        "retry_count": "3",
        "retry_interval_minutes": "60",
        "wrap_up_seconds": "30",
        "ring_timeout_seconds": "30",
        "lead_lists-TOTAL": "0",
        **html_data("acefone", settings),
    }


@pytest.mark.parametrize(
    "every_field", [EVERY_FIELD_PREVIEW, EVERY_FIELD_RATIO], ids=["preview", "ratio"]
)
def test_round_trip_through_the_page(supervisor_client, accounts, every_field):
    response = supervisor_client.post(
        reverse("campaigns:create"), _create_page_data(accounts["acefone"], every_field)
    )
    assert response.status_code == 302, (
        response.context and response.context["editor"].vendor_form.errors
    )
    campaign = Campaign.objects.get(name="Round trip")
    assert campaign.vendor_settings == every_field

    edit_url = reverse("campaigns:edit", args=[campaign.pk])
    reopened = form_data(supervisor_client.get(edit_url).content.decode(), "campaign-form")
    assert supervisor_client.post(edit_url, reopened).status_code == 302
    campaign.refresh_from_db()
    assert campaign.vendor_settings == every_field


@pytest.mark.parametrize(
    "every_field", [EVERY_FIELD_PREVIEW, EVERY_FIELD_RATIO], ids=["preview", "ratio"]
)
def test_round_trip_through_the_api(api_client, supervisor, accounts, every_field):
    api_client.force_authenticate(supervisor)
    created = api_client.post(
        "/api/v1/campaigns/",
        {
            "name": "API round trip",
            "dial_method": DIAL_METHOD[id(every_field)],
            "vendor_account": accounts["acefone"].pk,
            "vendor_settings": every_field,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["vendor_settings"] == every_field
    url = f"/api/v1/campaigns/{created.json()['id']}/"
    again = api_client.patch(
        url, {"vendor_settings": api_client.get(url).json()["vendor_settings"]}, format="json"
    )
    assert again.status_code == 200, again.content
    assert again.json()["vendor_settings"] == every_field
