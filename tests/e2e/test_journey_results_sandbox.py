"""Journey: the whole loop in the sandbox, seen on the results page.

A supervisor opens a new Webitel campaign's results (nothing dialled), starts the campaign
in the browser, the sandbox dialer dials some of its leads (the emulator's ``_dial``), the
console's results pull (a sync job, as beat runs it) files them, and the results page
fills: dialled, not yet dialled, the attempts histogram and the chart change from 0, read
from the kept counts, and so does the campaign's row on the home page. The supervisor
downloads the leads with their outcomes as xlsx from the page; the workbook, opened with
openpyxl, has one row per lead and each lead's outcome as the console stored it. The steps
shared with ``test_journey_results_pulled`` are its helpers.
"""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from openpyxl import load_workbook
from playwright.sync_api import expect

from results.exports import LEAD_EXPORT_HEADER
from results.kept_counts import result_counts_kept, result_counts_real
from results.models import LeadResult
from sync.services.results import results_pull_enqueue
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    click_action,
    lead_list_of,
    login,
    sandbox_account,
    sandbox_control,
    snap,
    sync_badge,
)
from tests.e2e.test_journey_results_pulled import TIMEOUT_MS, _wait_for_results

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 8
DIALLED = 5


def _figure(page, name: str):
    return page.locator(f'[data-figure="{name}"]')


def test_the_results_page_fills_as_the_sandbox_dials_and_the_export_matches(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Nagpur renewals")
    campaign = campaign_on(
        account,
        name="Nagpur renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    login(page, live_server, supervisor)
    results_url = f"{live_server.url}/campaigns/{campaign.pk}/results/"
    page.goto(results_url)
    expect(_figure(page, "leads")).to_have_text(str(LEADS))
    expect(_figure(page, "dialled")).to_have_text("0")
    expect(_figure(page, "not_dialled")).to_have_text(str(LEADS))
    expect(_figure(page, "contact_rate")).to_have_text("unknown")
    snap(page, "results-sandbox-01-nothing-dialled")

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    click_action(page, "Start")
    expect(sync_badge(page)).to_have_text("In sync", timeout=TIMEOUT_MS)
    assert sandbox_control(e2e_sandbox, "webitel", "_dial", count=DIALLED) == {"dialled": DIALLED}
    with transaction.atomic():
        results_pull_enqueue(campaign=campaign, reason="journey")
    _wait_for_results(campaign, LEADS)

    page.get_by_role("button", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Nagpur renewals")
    expect(_figure(page, "dialled")).to_have_text(str(DIALLED))
    expect(_figure(page, "not_dialled")).to_have_text(str(LEADS - DIALLED))
    expect(page.locator("#histogram tbody th")).to_have_text(["1"])
    expect(page.locator("#histogram tbody td")).to_have_text([str(DIALLED)])
    expect(page.locator("#day-chart-title")).to_contain_text(f"{DIALLED} in all")
    expect(page.get_by_text("Counted from the result rows")).to_have_count(0)
    assert result_counts_kept(campaign_id=campaign.pk) == result_counts_real(
        campaign_id=campaign.pk
    )
    snap(page, "results-sandbox-02-filled")

    page.goto(f"{live_server.url}/")
    row = page.locator("#campaign-results tbody tr", has_text="Nagpur renewals")
    expect(row.locator("td")).to_have_text(
        [str(LEADS), str(DIALLED), f"{100 * DIALLED / LEADS:.1f} %", "0", str(DIALLED), "0.0 %"]
    )
    snap(page, "results-sandbox-03-home")
    page.goto(results_url)

    with page.expect_download() as download_info:
        page.locator("select[name=file_format]").select_option("xlsx")
        page.get_by_role("button", name="Download the leads with outcomes").click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    header, *rows = [list(row) for row in sheet.values]
    assert header == LEAD_EXPORT_HEADER
    assert len(rows) == LEADS
    column = {name: index for index, name in enumerate(header)}
    stored = {row.lead_id: row for row in LeadResult.objects.filter(campaign=campaign)}
    assert sorted(row[column["lead_id"]] for row in rows) == sorted(stored)
    for row in rows:
        result = stored[row[column["lead_id"]]]
        assert row[column["attempts"]] == result.attempts
        assert (row[column["dialer_status"]] or "") == result.last_result_raw
        assert (row[column["outcome_code"]] or "") == result.last_result_code
    dialled = [row for row in rows if row[column["attempts"]]]
    assert len(dialled) == DIALLED
