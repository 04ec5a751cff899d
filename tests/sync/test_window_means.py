"""Each vendor's declared means of enforcing the calling window (issue #13 point 2): one
declaration per adapter, shown in its account's capability matrix and on the campaign
page's "why leads are or are not dialling" section."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from campaigns.models import CallingWindow, CallingWindowDay
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from vendors.adapters.registry import adapter_class
from vendors.adapters.types import Capability, WindowEnforcement

DECLARED = {
    "voicenter": WindowEnforcement.PER_LEAD,
    "webitel": WindowEnforcement.PER_LEAD,
    "ozonetel": WindowEnforcement.GATE,
    "acefone": WindowEnforcement.CAMPAIGN_TIME,
    "jtel": WindowEnforcement.CAMPAIGN_TIME,
}


@pytest.mark.parametrize("kind", sorted(DECLARED))
def test_each_adapter_declares_its_means(kind):
    means = adapter_class(kind).window_means
    assert means.enforcement == DECLARED[kind]
    assert means.enforced
    # Taking a lead back needs the vendor's documented removal.
    if means.take_back:
        assert adapter_class(kind).supports(Capability.LEAD_REMOVE)
    # Neither Acefone nor jtel can be paused: the page must say what remains.
    if means.enforcement != WindowEnforcement.PER_LEAD or kind == "webitel":
        assert means.outside_control


@pytest.mark.parametrize("kind", sorted(DECLARED))
def test_the_capability_matrix_shows_the_means(kind, supervisor_client):
    account = VendorAccountFactory(kind=kind)
    means = adapter_class(kind).window_means
    body = supervisor_client.get(reverse("vendors:account-detail", args=[account.pk]))
    html = body.content.decode()
    assert f'data-window-means="{means.enforcement}"' in html
    assert escape(str(means.enforced)) in html
    assert escape(str(means.outside_control)) in html


@pytest.mark.parametrize("kind", ["acefone", "jtel", "voicenter"])
def test_the_campaign_page_says_what_is_enforced_and_what_is_not(kind, supervisor_client):
    window = CallingWindow.objects.create(name=f"Office hours {kind}")
    CallingWindowDay.objects.create(calling_window=window, weekday=0)
    campaign = CampaignFactory(
        vendor_account=VendorAccountFactory(kind=kind), status="active", calling_window=window
    )
    means = adapter_class(kind).window_means
    url = reverse("sync:campaign-dialling", args=[campaign.pk])
    html = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert escape(str(means.enforced)) in html
    assert "can still do outside the console's control" in html
    assert escape(str(means.outside_control)) in html


def test_without_a_window_no_enforcement_sentence(supervisor_client):
    campaign = CampaignFactory(vendor_account=VendorAccountFactory(kind="acefone"))
    url = reverse("sync:campaign-dialling", args=[campaign.pk])
    html = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "No calling window" in html and "data-window-means" not in html
