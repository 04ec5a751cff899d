"""Journey: a supervisor lists the numbers of a German Excel file as do-not-call, reads
the report line by line, and downloads the list to read it back.

The file is Windows-1252 and separated by semicolons, with a header, a number already
listed, one that is no number and a repeated one; the download is asked for with
semicolons and comes back as UTF-8 with a BOM.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from leads.models import DncEntry
from tests.e2e.conftest import labelled, login, run_axe, settle, snap
from tests.leads.factories import DncEntryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KONTAKTE = (
    "Name;Telefon;Grund\n"
    "Jürgen Müller;030 1234567;Beschwerde über Anrufe\n"
    "Zoë Weiß;0170 1234567;möchte keine Anrufe\n"
    "Franz Dörr;unbekannt;Straße fehlt\n"
    "Grete Schäfer;+49 30 1234567;größere Beschwerde\n"
    "Jörg Weiß;0151 23456789;schon gelistet\n"
).encode("cp1252")


def test_a_supervisor_uploads_a_dnc_file_and_downloads_the_list(
    page, live_server, supervisor, tmp_path
):
    DncEntryFactory(phone="+4915123456789", reason="=HYPERLINK()")
    upload = tmp_path / "kontakte.csv"
    upload.write_bytes(KONTAKTE)
    login(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Do-not-call list").click()
    page.get_by_role("button", name="Add from a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add numbers from a file")

    labelled(page, "File").set_input_files(str(upload))
    labelled(page, "Country").select_option("DE")
    labelled(page, "Reason").fill("Liste vom Kunden")
    page.get_by_role("button", name="Upload and add to the list").click()
    settle(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Numbers from kontakte.csv")
    expect(page.locator(".page-header")).to_contain_text("cp1252")
    status = page.locator("#dnc-upload-status")
    expect(status.locator('[data-count="added"]')).to_have_text("2")
    expect(status.locator('[data-count="already_listed"]')).to_have_text("1")
    expect(status.locator('[data-count="repeated"]')).to_have_text("1")
    expect(status.locator('[data-count="refused"]')).to_have_text("1")
    lines = status.locator("table.dnc-lines tbody tr")
    expect(lines).to_have_count(3)
    expect(lines.nth(0)).to_contain_text("unbekannt")
    expect(lines.nth(0)).to_contain_text("is not a valid phone number when read as DE")
    expect(lines.nth(1)).to_contain_text("The same number as line 2.")
    expect(lines.nth(2)).to_contain_text("Already on the list")
    snap(page, "journey-dnc-files-01-report")
    assert run_axe(page) == []

    page.get_by_role("link", name="Do-not-call list").first.click()
    page.locator("form.csv-download select[name=delimiter]").select_option(";")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the list").click()
    raw = download_info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["phone", "scope"]
    by_phone = {row[0]: row for row in rows[1:]}
    assert set(by_phone) == set(DncEntry.objects.values_list("phone", flat=True))
    assert set(by_phone) == {"+4915123456789", "+49301234567", "+491701234567"}
    assert by_phone["+49301234567"][6] == "Liste vom Kunden"
    assert by_phone["+4915123456789"][6] == "'=HYPERLINK()"  # no formula reaches Excel
    snap(page, "journey-dnc-files-02-list")


BUTTONS = """() => [...document.querySelectorAll('main button, main [role=button]')]
  .filter(b => b.offsetParent !== null)
  .map(b => ({text: b.textContent.trim(), radius: getComputedStyle(b).borderTopRightRadius,
              width: b.getBoundingClientRect().width,
              main: document.querySelector('main').getBoundingClientRect().width}))"""


@pytest.mark.parametrize("path", ["/dnc/", "/leads/", "/campaigns/", "/sync/jobs/"])
def test_buttons_share_one_shape_and_stay_compact_on_a_desktop(page, live_server, supervisor, path):
    DncEntryFactory(phone="+4915123456789")
    login(page, live_server, supervisor)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + path)
    buttons = page.evaluate(BUTTONS)
    assert buttons
    assert {button["radius"] for button in buttons} == {"4px"}, buttons  # no pills
    wide = [b["text"] for b in buttons if b["width"] > b["main"] / 2]
    assert wide == []


def test_a_forms_submit_button_spans_a_phone_screen_and_filters_stay_compact(
    page, live_server, supervisor
):
    login(page, live_server, supervisor)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + "/dnc/upload/")
    submit = page.get_by_role("button", name="Upload and add to the list")
    main_width = page.evaluate("() => document.querySelector('main').clientWidth")
    assert submit.bounding_box()["width"] > main_width * 0.8
    page.goto(live_server.url + "/dnc/")
    search = page.get_by_role("button", name="Search")
    assert search.bounding_box()["width"] < main_width / 2
