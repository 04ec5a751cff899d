"""Journey: the import flow in Hebrew (issue 17, point 4).

A team lead whose browser asks for Hebrew, and who chose Hebrew on the Language page,
logs in on a right-to-left page, uploads a file, reads the preview, keeps the suggested
mapping, starts the import and watches it finish: every step is laid out right to left
with Hebrew headings and buttons, and phone numbers keep their left-to-right order.
A second check opens the campaign form in Hebrew and in German: neither runs off the
side of the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leads.models import ImportJob, ImportState, Lead
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import snap
from tests.leads.factories import LeadListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROWS = 30


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "he-IL"}


def hebrew_file() -> bytes:
    lines = ["Telefon,Vorname,Email"]
    lines += [f"03 555 {index:04d},דנה {index},dana{index}@example.com" for index in range(ROWS)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def log_in_in_hebrew(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "he")
    expect(page.get_by_label("שפה")).to_have_value("he")  # the login page's language picker
    snap(page, "journey-hebrew-00-login")
    page.get_by_label("שם משתמש").fill(user.username)
    page.get_by_label("סיסמה").fill("correct-horse-battery")
    page.get_by_role("button", name="כניסה").click()
    page.wait_for_url(f"{live_server.url}/")


def assert_nothing_runs_off_the_page(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page is {overflow}px wider than the window"


def test_a_team_lead_imports_a_file_in_hebrew(page, live_server, celery_worker):
    team_lead = UserFactory(role="Team lead", with_team=True, language="he")
    lead_list = LeadListFactory(
        name="לקוחות תל אביב",
        team=team_lead.team,
        default_country="IL",
        default_timezone="Asia/Jerusalem",
    )
    log_in_in_hebrew(page, live_server, team_lead)
    expect(page.get_by_role("navigation").get_by_role("link", name="רשימות לידים")).to_be_visible()

    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("לקוחות תל אביב")
    page.get_by_role("button", name="ייבוא קובץ").click()

    # Step 1: upload.
    expect(page.get_by_role("heading", level=1)).to_have_text("ייבוא לידים אל לקוחות תל אביב")
    page.locator("input[type=file]").set_input_files(
        {"name": "leads-he.csv", "mimeType": "text/csv", "buffer": hebrew_file()}
    )
    snap(page, "journey-hebrew-01-upload")
    page.get_by_role("button", name="העלאה ותצוגה מקדימה").click()

    # Step 2: the preview, right to left; the numbers read left to right.
    expect(page.get_by_role("heading", level=1)).to_have_text("תצוגה מקדימה של leads-he.csv")
    preview = page.locator("#preview")
    expect(preview.locator("table")).to_contain_text("דנה 1")
    expect(preview.locator("table")).to_contain_text("03 555 0001")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_nothing_runs_off_the_page(page)
    snap(page, "journey-hebrew-02-preview")
    page.get_by_role("button", name="המשך למיפוי").click()

    # Step 3: the suggested mapping is kept.
    expect(page.get_by_role("heading", level=1)).to_have_text("מיפוי ומדיניות")
    expect(page.get_by_label("Telefon", exact=True)).to_have_value("phone")
    assert_nothing_runs_off_the_page(page)
    snap(page, "journey-hebrew-03-mapping")
    page.get_by_role("button", name="התחלת הייבוא").click()

    # Step 4: the import finishes; the counts are labelled in Hebrew.
    status = page.locator("#import-status")
    expect(status.locator("progress")).to_have_attribute("value", "100", timeout=60_000)
    expect(status.locator("table.result-counts")).to_contain_text("יובאו")
    counts = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in status.locator("table.result-counts tr").all()
    }
    assert counts["שורות שנקראו"] == f"{ROWS}"
    assert counts["יובאו"] == f"{ROWS}"
    job = ImportJob.objects.get(lead_list=lead_list)
    assert job.state == ImportState.DONE
    assert Lead.objects.filter(lead_list=lead_list).count() == ROWS
    snap(page, "journey-hebrew-04-done")

    # A lead's page: the phone number is isolated left to right inside the Hebrew text.
    lead = Lead.objects.filter(lead_list=lead_list).order_by("pk").first()
    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    phone = page.locator("#leads-table bdi.phone").first
    expect(phone).to_have_attribute("dir", "ltr")
    expect(page.locator("#leads-table")).to_contain_text(lead.phone)


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("he", "rtl", "קמפיין חדש"), ("de", "ltr", "Neue Kampagne")],
)
def test_the_campaign_form_fits_in_hebrew_and_german(
    page, live_server, language, direction, heading
):
    supervisor = UserFactory(role="Supervisor", language=language)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(supervisor.username)
    page.locator("input[name=password]").fill("correct-horse-battery")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/campaigns/new/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_nothing_runs_off_the_page(page)
    snap(page, f"journey-campaign-form-{language}")
