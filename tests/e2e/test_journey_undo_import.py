"""Journey 6: a supervisor undoes an import whose leads a running campaign already pushed.

The Webitel campaign runs in sync; the supervisor imports three more leads into its list
in the browser, the worker pushes them, and the dialer holds them. Undo this import: the
page says they were on a dialer, and the campaign's sync panel shows the dialer back to
the leads it had, the three counted as removed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leads.models import Lead, LeadStatus
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    click_action,
    lead_list_of,
    login,
    sandbox_account,
    snap,
    sync_badge,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 10
SYNC_TIMEOUT_MS = 30_000
IMPORTED = "Phone,First Name\n+91 98765 90001,Asha\n+91 98765 90002,Ravi\n+91 98765 90003,Meera\n"


def expect_on_dialer(page, count: int) -> None:
    panel = page.locator("#sync-panel")
    expect(panel.locator('[data-count="pushed"]')).to_have_text(str(count), timeout=SYNC_TIMEOUT_MS)
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    panel.get_by_role("button", name="Refresh").click()
    expect(panel.locator("[data-pending-calls]")).to_have_text(str(count), timeout=SYNC_TIMEOUT_MS)


def test_undoing_a_pushed_import_takes_its_leads_off_the_dialer(
    page, live_server, e2e_sandbox, supervisor, celery_worker, tmp_path
):
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Pune renewals")
    campaign = campaign_on(
        account,
        name="Pune renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    click_action(page, "Start")
    expect_on_dialer(page, LEADS)

    upload = tmp_path / "renewals.csv"
    upload.write_text(IMPORTED, encoding="utf-8")
    page.goto(f"{live_server.url}/leads/")
    page.get_by_role("link", name="Pune renewals").click()
    page.get_by_role("button", name="Import a file").click()
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Continue to mapping").click()
    page.get_by_role("button", name="Start import").click()
    page.locator("table.result-counts").wait_for(timeout=SYNC_TIMEOUT_MS)
    import_page = page.url

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect_on_dialer(page, LEADS + 3)
    snap(page, "journey6-01-import-pushed")

    page.goto(import_page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text(
        "Import undone: 3 leads it created were removed. 3 of them were already on a dialer"
    ).wait_for()
    snap(page, "journey6-02-undone")

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect_on_dialer(page, LEADS)
    expect(page.locator('#sync-panel [data-count="removed"]')).to_have_text("3")
    snap(page, "journey6-03-dialer-back-to-its-leads")
    assert Lead.objects.filter(status=LeadStatus.REMOVED).count() == 3
