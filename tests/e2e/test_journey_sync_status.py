"""A campaign's header and sync panel say the dialer's state and a last-synced time that
stays true while the page is open (issue #15, "Status the page must get right")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sync.models import CampaignRemote
from tests.campaigns.factories import CampaignFactory
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_last_synced_keeps_counting_on_an_idle_page(page, live_server, supervisor):
    campaign = CampaignFactory(status="active")
    CampaignRemote.objects.create(
        campaign=campaign, state="in_sync", last_synced_at=timezone.now() - timedelta(seconds=2)
    )
    page.clock.install()
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    header = page.locator("#dialer-state")
    assert " ".join(header.inner_text().split()).startswith("· dialer: in sync, last synced")
    panel_time = page.locator("#sync-panel time[data-ago]")
    first = panel_time.inner_text()
    page.clock.run_for(3 * 60 * 1000)  # three idle minutes: nothing polls the server
    assert header.locator("time").inner_text() == "3 minutes ago"
    assert panel_time.inner_text() == "3 minutes ago" != first
    assert "not synced yet" not in page.content()
