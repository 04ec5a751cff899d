"""Journey (issue #13 point 2): a Webitel and an Acefone campaign with leads in New York,
Kolkata and Dhaka, window every day 08:00-21:00 in each lead's own time. The campaign page's
"why leads are or are not dialling" section shows where each lead stands; an hour later
(time-machine moves the live server's clock too; the gate's beat and the sync job run in
the test), the right leads have moved from "waiting" to "on the dialer".

- 4 Dec 2026 01:45 UTC: New York 20:45 (3 Dec, open until 02:00 UTC), Kolkata 07:15 and
  Dhaka 07:45 (both open later that day). Acefone's time group (08:00-21:00 in Kolkata,
  02:30-15:30 UTC) has not begun.
  Webitel (per lead) holds all six: New York's two callable, the four others waiting.
  Acefone holds none: New York's two are queued (their window runs past the time group's
  end), the four others waiting.
- 02:45 UTC: New York closed (21:45); Kolkata 08:15 and Dhaka 08:45 open, their windows
  ending within the time group (15:30 and 15:00 UTC).
  Webitel: the four on the dialer, New York's two waiting. Acefone: the gate pushed the
  four, which are on the dialer; New York's two waiting.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignLeadList, CampaignStatus
from leads.services import lead_list_counts_refresh
from sync.services import jobs
from sync.services.hooks import campaign_sync_enqueue
from sync.window_gate import window_gate_all
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, login, sandbox_account, snap
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.sync.conftest import run_jobs
from tests.sync.window_enforcement import window_set
from tests.vendors.harness import load_harness
from vendors.sandbox_state import sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZONES = (
    ("+1212555{:04d}", "America/New_York"),
    ("+9198123{:04d}", "Asia/Kolkata"),
    ("+8801712{:05d}", "Asia/Dhaka"),
)
FIRST = dt.datetime(2026, 12, 4, 1, 45, tzinfo=dt.UTC)
AN_HOUR_LATER = FIRST + dt.timedelta(hours=1)


def _campaign(account, name: str, supervisor, serial: int):
    campaign = campaign_on(
        account, name=name, settings=VALID_SETTINGS[account.kind], acting_user=supervisor
    )
    lead_list = LeadListFactory(name=f"{name} leads", default_timezone="", default_country="")
    for pattern, zone in ZONES:
        for n in range(2):
            LeadFactory(lead_list=lead_list, phone=pattern.format(serial + n), timezone=zone)
    lead_list_counts_refresh(lead_list=lead_list)  # as an import leaves them
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    window_set(campaign)
    settings = dict(campaign.vendor_settings)
    if account.kind == "acefone":
        # Its vendor test spec's settings: the lead list map (list 101, made in Acefone's
        # dashboard) and the dial ratio its Ratio dial method needs.
        settings = load_harness("acefone").campaign_spec().settings
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.ACTIVE, vendor_settings=settings
    )
    return Campaign.objects.get(pk=campaign.pk)


def _counts(page, campaign) -> dict[str, str]:
    page.goto(f"{page.url.split('/campaigns/')[0]}/campaigns/{campaign.pk}/")
    section = page.locator("article#dialling")
    expect(section).to_be_visible()
    return {
        key: section.locator(f'tr[data-reason="{key}"] td').inner_text()
        for key in ("ready", "waiting", "queued")
    }


def test_leads_move_from_waiting_to_the_dialer_as_their_zones_open(
    page, live_server, e2e_sandbox, supervisor, monkeypatch
):
    monkeypatch.setattr(jobs, "_publish", lambda job_id, countdown=0: None)  # run here
    with sandbox_state("acefone") as emulator:
        # Its create reply names the new campaign's id (a guess the sandbox can make; the
        # documented reply names none, and linking by hand is another journey's subject).
        emulator.guessed_extras = True
        emulator._list(101)  # made in Acefone's dashboard (no documented API)
    webitel = _campaign(sandbox_account(e2e_sandbox, "webitel"), "Webitel 3 zones", supervisor, 10)
    acefone = _campaign(sandbox_account(e2e_sandbox, "acefone"), "Acefone 3 zones", supervisor, 20)
    login(page, live_server, supervisor)

    with time_machine.travel(FIRST, tick=True):
        for campaign in (webitel, acefone):
            campaign_sync_enqueue(campaign=campaign, reason="journey")
        run_jobs()
        assert _counts(page, webitel) == {"ready": "2", "waiting": "4", "queued": "0"}
        expect(page.locator("article#dialling")).to_contain_text("On Webitel:")
        snap(page, "h13gate-webitel-before")
        assert _counts(page, acefone) == {"ready": "0", "waiting": "4", "queued": "2"}
        expect(page.locator("[data-window-outside]")).to_contain_text("time group")
        snap(page, "h13gate-acefone-before")

    with time_machine.travel(AN_HOUR_LATER, tick=True):
        assert window_gate_all() == 1  # Acefone: Kolkata and Dhaka may now be pushed
        run_jobs()
        assert _counts(page, webitel) == {"ready": "4", "waiting": "2", "queued": "0"}
        snap(page, "h13gate-webitel-after")
        assert _counts(page, acefone) == {"ready": "4", "waiting": "2", "queued": "0"}
        snap(page, "h13gate-acefone-after")
