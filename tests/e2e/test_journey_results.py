"""Journey: a team lead opens a campaign's results (what the dialer reported, built here
with factories), filters them to one list, and downloads the leads with their outcomes as
xlsx and as a semicolon CSV, read back with openpyxl and csv."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from leads.models import Lead
from results.exports import LEAD_EXPORT_HEADER
from tests.e2e.conftest import login, run_axe, snap
from tests.results.scenario import build_scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_team_lead_reads_the_results_and_downloads_them(page, live_server):
    scenario = build_scenario()
    login(page, live_server, scenario.team_lead)
    page.goto(f"{live_server.url}/campaigns/{scenario.campaign.pk}/")
    page.get_by_role("button", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Spring")
    expect(page.locator('[data-figure="leads"]')).to_have_text("10")
    expect(page.locator('[data-figure="dialled"]')).to_have_text("6")
    expect(page.locator('[data-figure="contact_rate"]')).to_have_text("60.0 %")
    expect(page.locator("figure.day-chart svg rect")).to_have_count(6)
    snap(page, "journey-results-01-page")
    assert run_axe(page) == []

    with page.expect_download() as download_info:
        page.locator("select[name=file_format]").select_option("xlsx")
        page.get_by_role("button", name="Download the leads with outcomes").click()
    download = download_info.value
    assert download.suggested_filename == f"campaign-{scenario.campaign.pk}-leads.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.values)
    assert list(rows[0]) == LEAD_EXPORT_HEADER
    visible = Lead.objects.filter(lead_list__in=[scenario.lists["north"], scenario.lists["south"]])
    assert sorted(row[0] for row in rows[1:]) == sorted(visible.values_list("id", flat=True))

    page.get_by_label("Lead list").select_option(label="North")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator('[data-figure="leads"]')).to_have_text("6")
    snap(page, "journey-results-02-one-list")
    with page.expect_download() as download_info:
        page.locator("select[name=delimiter]").select_option(";")
        page.get_by_role("button", name="Download the leads with outcomes").click()
    raw = download_info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + scenario.lists["north"].leads.count()
