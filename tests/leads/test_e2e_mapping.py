"""The mapping page in headless Chromium for files whose headers name nothing: the phone
found by its content is marked so the team lead can check it, and a file without phones
is refused with what was looked at."""

import pytest

from leads.models import ImportJob
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by name
    _allow_orm_beside_playwright,
    _artifacts_on_failure,
    browser_type_launch_args,
    celery_worker,
    login,
    snap,
)
from tests.leads.factories import LeadListFactory
from tests.leads.helpers import NO_PHONE_CSV, UNNAMED_CSV

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker"),
]


def _to_the_mapping_page(page, live_server, team_lead, text: str) -> None:
    lead_list = LeadListFactory(team=team_lead.team, name="Київ", default_country="UA")
    login(page, live_server, team_lead)
    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    page.get_by_role("button", name="Import a file").click()
    page.set_input_files(
        "input[name=file]",
        {"name": "export.csv", "mimeType": "text/csv", "buffer": text.encode()},
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Continue to mapping").click()


def test_the_phone_found_by_content_is_marked_and_imports(page, live_server, team_lead):
    _to_the_mapping_page(page, live_server, team_lead, UNNAMED_CSV)
    phone_row = page.locator("tr", has=page.get_by_label("col3"))
    note = phone_row.locator(".suggestion-note")
    assert note.inner_text() == "Found by content: 5 of 5 sampled values are valid UA numbers"
    assert page.get_by_label("col3").input_value() == "phone"
    assert page.get_by_label("col1").input_value() == "custom"  # order ids, not phones
    assert page.locator(".suggestion-note").count() == 1
    snap(page, "leads-mapping-by-content")
    page.get_by_role("button", name="Start import").click()
    page.locator("table.result-counts").wait_for(timeout=30_000)
    assert ImportJob.objects.get().imported_count == 5


def test_a_file_without_phones_is_refused_with_what_was_sampled(page, live_server, team_lead):
    _to_the_mapping_page(page, live_server, team_lead, NO_PHONE_CSV)
    page.get_by_role("button", name="Start import").click()
    alert = page.get_by_role("alert")
    assert "col1: 1001, 1002, 1003 (0 of 3 valid)" in alert.inner_text()
    snap(page, "leads-mapping-no-phone")
