"""The import journey in headless Chromium: a cp1252 semicolon file with bad rows, the
preview and a wrong delimiter, a corrected mapping, the progress bar run by a real Celery
worker, the result, the rejected-rows report and undo."""

from pathlib import Path

import pytest

from leads.models import DncEntry, ImportJob, Lead
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by name
    _allow_orm_beside_playwright,
    _artifacts_on_failure,
    browser_type_launch_args,
    celery_worker,
    login,
    snap,
)
from tests.leads.factories import LeadListFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker"),
]

DEMO_FILE = Path(__file__).resolve().parents[2] / "leads/demo_files/kontakte-cp1252-semicolon.csv"


def test_a_team_lead_imports_a_legacy_file_and_undoes_it(page, live_server, team_lead, tmp_path):
    lead_list = LeadListFactory(team=team_lead.team, name="Kontakte", default_country="DE")
    DncEntry.objects.create(phone="+12125550199", scope="everywhere")
    login(page, live_server, team_lead)
    page.goto(f"{live_server.url}/leads/")
    page.get_by_role("link", name="Kontakte").click()
    page.get_by_role("button", name="Import a file").click()
    page.set_input_files("input[name=file]", str(DEMO_FILE))
    page.get_by_role("button", name="Upload and preview").click()

    preview = page.locator("#preview")
    assert "Detected: cp1252" in preview.inner_text()
    assert "Jürgen" in preview.inner_text() and "Weiß" in preview.inner_text()
    snap(page, "leads-1-preview")
    page.select_option("select[name=delimiter]", ",")
    page.get_by_role("button", name="Read again").click()
    page.get_by_text("the file looks separated by Semicolon").wait_for()
    snap(page, "leads-2-wrong-delimiter")
    page.select_option("select[name=delimiter]", ";")
    page.get_by_role("button", name="Read again").click()
    page.get_by_role("button", name="Continue to mapping").wait_for()
    page.get_by_role("button", name="Continue to mapping").click()

    page.select_option("select[name=column_5]", "alt:home")  # suggested: mobile
    snap(page, "leads-3-mapping")
    page.get_by_role("button", name="Start import").click()
    page.locator("progress").first.wait_for()
    page.locator("table.result-counts").wait_for(timeout=30_000)
    snap(page, "leads-4-result")
    job = ImportJob.objects.get()
    assert (job.imported_count, job.duplicate_count, job.invalid_phone_count, job.dnc_count) == (
        5, 1, 1, 1,
    )  # fmt: skip
    assert page.locator("#import-status").get_attribute("hx-trigger") is None
    assert Lead.objects.get(phone="+493012345678").alternate_phones[0]["kind"] == "home"

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the 3 rejected rows (CSV)").click()
    report = (
        (tmp_path / "report.csv").read_text()
        if download.value.save_as(tmp_path / "report.csv") is None
        else ""
    )
    assert "nicht bekannt" in report and "'+1 212 555 0199" in report

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Import undone: 5 leads it created were removed.").wait_for()
    snap(page, "leads-5-undone")
    assert not Lead.objects.filter(lead_list=lead_list).exists()
