"""Pausing, stopping and archiving several campaigns from the campaign list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


def _count_shown(html: str) -> int:
    return int(re.search(r'data-bulk-count="(\d+)"', html).group(1))


def test_campaign_list_stops_two_at_once(supervisor_client, accounts):
    campaigns = [
        CampaignFactory(
            vendor_account=accounts[kind],
            vendor_settings=VALID_SETTINGS[kind],
            status=CampaignStatus.ACTIVE,
        )
        for kind in ("acefone", "jtel")
    ]
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    assert html.count('form="campaign-bulk"') == 2
    ids = [campaign.pk for campaign in campaigns]
    confirm = supervisor_client.post(reverse("campaigns:bulk"), {"action": "stop", "ids": ids})
    body = confirm.content.decode()
    assert _count_shown(body) == 2
    assert "is told to stop the campaign" in body or "cannot be stopped" in body
    supervisor_client.post(
        reverse("campaigns:bulk"), {"action": "stop", "ids": ids, "confirmed": "1"}
    )
    for campaign in campaigns:
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.STOPPED


def test_a_team_lead_cannot_bulk_change_campaigns(team_lead_client):
    html = team_lead_client.get(reverse("campaigns:list")).content.decode()
    assert 'id="campaign-bulk"' not in html
    response = team_lead_client.post(reverse("campaigns:bulk"), {"action": "stop", "ids": [1]})
    assert response.status_code == 403
