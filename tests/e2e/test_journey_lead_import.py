"""Journey 2: a team lead imports a messy file.

A cp1252, semicolon-separated export from a German spreadsheet, with a row whose phone
is not a number and a row repeated: the team lead uploads it, checks the preview,
corrects the suggested mapping, starts the import, watches the progress bar reach the
end, downloads the rejected rows and reads the counts.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from leads.models import ImportJob, ImportState, Lead
from tests.e2e.conftest import labelled, login, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD_ROWS = 400
HEADER = "Telefon;Vorname;Name;Firma;Mobil"
BAD_ROW = "nicht bekannt;Øyvind;Ås;Fjord Ålesund AG;"


# Every value the progress bar showed on the import page, in order (HTMX swaps it).
RECORD_PROGRESS = """
window.progressSeen = [];
new MutationObserver(() => {
  const bar = document.querySelector("#import-status progress");
  const value = bar && Number(bar.getAttribute("value"));
  if (bar && window.progressSeen.at(-1) !== value) window.progressSeen.push(value);
}).observe(document, {childList: true, subtree: true, attributes: true});
"""


def messy_file() -> bytes:
    """Windows-1252, ``;``-separated, CRLF line ends, umlauts in names and company."""
    lines = [HEADER, "030 2000000;Jürgen;Müller;Bäckerei Größe;0151 23456789"]
    lines += [f"030 2{index:06d};Zoë;Weiß {index};Café Ängel;" for index in range(1, GOOD_ROWS)]
    lines.insert(4, BAD_ROW)  # within the preview's first rows
    lines.append("030 2000000;Jürgen;Müller (doppelt);;")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_team_lead_imports_a_messy_file(page, live_server, team_lead, celery_worker):
    login(page, live_server, team_lead)
    page.get_by_role("navigation").get_by_role("link", name="Lead lists").click()
    page.get_by_role("button", name="New lead list").click()
    labelled(page, "Name").fill("Kunden Berlin")
    labelled(page, "Default country").select_option("DE")
    labelled(page, "Default timezone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunden Berlin")

    # Step 1: upload.
    page.get_by_role("button", name="Import a file").click()
    labelled(page, "File").set_input_files(
        {"name": "kunden-export.csv", "mimeType": "text/csv", "buffer": messy_file()}
    )
    page.get_by_role("button", name="Upload and preview").click()

    # Step 2: the preview. Windows-1252 and Windows-1250 share the German letters, and the
    # detector may take either; the team lead confirms Western European and reads again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview kunden-export.csv")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Detected: ;")
    snap(page, "journey2-01-preview-as-detected")
    preview.get_by_label("Encoding").select_option("cp1252")
    preview.get_by_role("button", name="Read again").click()
    table = preview.locator("table")
    expect(table).to_contain_text("Øyvind")
    expect(table).to_contain_text("Bäckerei Größe")
    expect(table.locator("thead")).to_contain_text("Telefon")
    expect(preview.get_by_label("Encoding")).to_have_value("cp1252")
    expect(preview.get_by_label("Delimiter")).to_have_value(";")
    snap(page, "journey2-02-preview-cp1252")
    page.get_by_role("button", name="Continue to mapping").click()

    # Step 3: the suggestion reads "Telefon" as the phone and "Mobil" as a mobile; "Name"
    # (a surname in German exports) is not recognised, so it is corrected by hand.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mapping and policy")
    expect(page.get_by_label("Telefon", exact=True)).to_have_value("phone")
    expect(page.get_by_label("Vorname", exact=True)).to_have_value("first_name")
    expect(page.get_by_label("Mobil", exact=True)).to_have_value("alt:mobile")
    surname = page.get_by_label("Name", exact=True)
    expect(surname).to_have_value("custom")
    surname.select_option(label="Last name")
    expect(labelled(page, "Default country")).to_have_value("DE")
    snap(page, "journey2-03-mapping-corrected")
    page.add_init_script(RECORD_PROGRESS)
    page.get_by_role("button", name="Start import").click()

    # Step 4: progress, polled until the import is over, then the counts.
    status = page.locator("#import-status")
    expect(status.locator(".badge")).to_have_text("Done", timeout=60_000)
    expect(status.locator("progress")).to_have_attribute("value", "100")
    expect(status).not_to_have_attribute("hx-trigger", "every 1s")  # polling stopped
    seen = page.evaluate("window.progressSeen")
    assert seen[-1] == 100 and seen == sorted(seen), seen  # it only ever moved forward
    counts = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in status.locator("table.result-counts tr").all()
    }
    assert counts["Rows read"] == f"{GOOD_ROWS + 2}"
    assert counts["Imported"] == f"{GOOD_ROWS}"
    assert counts["Duplicates"] == "1"
    assert counts["Invalid phone numbers"] == "1"
    assert counts["Malformed rows"] == "0"
    snap(page, "journey2-04-import-done")

    with page.expect_download() as download_info:
        status.get_by_role("button", name="Download the 2 rejected rows (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-rejected-rows.csv")
    # In the upload's own delimiter (";" here), UTF-8 with a BOM, so German Excel opens it.
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["row", "reason", "detail", "Telefon", "Vorname", "Name", "Firma", "Mobil"]
    rejected = {row[3]: row for row in rows[1:]}
    assert set(rejected) == {"nicht bekannt", "030 2000000"}
    assert rejected["nicht bekannt"][4:7] == ["Øyvind", "Ås", "Fjord Ålesund AG"]

    job = ImportJob.objects.get()
    assert job.state == ImportState.DONE
    jurgen = Lead.objects.get(phone="+49302000000")
    assert (jurgen.first_name, jurgen.last_name) == ("Jürgen", "Müller")
    assert jurgen.custom_fields == {"Firma": "Bäckerei Größe"}
