"""Workbooks that unpack huge or hold millions of rows (leads/importing/xlsx.py): refused
before they are read, and the preview never loads the shared-strings table."""

import io
import tracemalloc
import zipfile

import pytest

from dialer_console.errors import ApplicationError
from leads import services
from leads.importing.reader import ReadOptions, preview_file
from leads.models import ImportState
from tests.leads.factories import LeadListFactory, csv_upload
from tests.leads.helpers import run_import

pytestmark = pytest.mark.django_db

ROWS = [("Phone", "Name"), ("212-555-0100", "Ada"), ("212-555-0101", "Grace")]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": f"""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>""",
    "_rels/.rels": f"""<Relationships xmlns="{_RELS}"><Relationship Id="rId1"
Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": f"""<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>
<sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<Relationships xmlns="{_RELS}">
<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>""",
}


def _workbook(rows=ROWS, *, padding_strings=0, dimension="auto") -> bytes:
    """A workbook whose text cells are all shared strings (as Excel writes them), with
    ``padding_strings`` unused 100-character strings at the end of the table, and a
    <dimension> that is the real one ("auto"), a given ref, or none ("")."""
    strings = list(dict.fromkeys(value for row in rows for value in row))
    index = {value: i for i, value in enumerate(strings)}
    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{"AB"[c]}{r}" t="s"><v>{index[v]}</v></c>' for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    if dimension == "auto":
        dimension = f"A1:B{len(rows)}"
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    table = "".join(f"<si><t>{value}</t></si>" for value in strings)
    with io.BytesIO() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in _PARTS.items():
                archive.writestr(name, text)
            archive.writestr(
                "xl/worksheets/sheet1.xml",
                f'<worksheet xmlns="{_MAIN}">{dimension_xml}<sheetData>{sheet_rows}'
                "</sheetData></worksheet>",
            )
            padding = ("<si><t>" + "p" * 100 + "</t></si>") * padding_strings
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{table}{padding}</sst>')
        return out.getvalue()


def _upload(team_lead, data: bytes):
    lead_list = LeadListFactory(team=team_lead.team)
    return services.import_job_create(
        lead_list=lead_list, upload=csv_upload(data, "leads.xlsx"), acting_user=team_lead
    )


def test_a_workbook_that_compresses_like_a_bomb_is_refused_at_upload(team_lead):
    with pytest.raises(ApplicationError) as caught:
        _upload(team_lead, _workbook(padding_strings=100_000))  # 11 MB from ~30 KB
    assert "times its size" in caught.value.message
    assert caught.value.extra["code"] == "compression_ratio"


def test_a_workbook_that_unpacks_past_the_limit_is_refused_at_upload(team_lead, settings):
    settings.LEAD_XLSX_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(ApplicationError, match="The workbook unpacks to .* more than the limit"):
        _upload(team_lead, _workbook())


def test_a_workbook_stating_more_rows_than_allowed_is_refused_at_upload(team_lead):
    with pytest.raises(ApplicationError) as caught:
        _upload(team_lead, _workbook(dimension="A1:B2000000"))
    assert caught.value.message.startswith("The workbook has 2,000,000 rows or more; at most")


def test_rows_past_the_limit_stop_the_run_when_the_sheet_states_no_size(team_lead, settings):
    settings.LEAD_XLSX_MAX_ROWS = 30
    rows = [ROWS[0], *((f"212-555-{n:04d}", "X") for n in range(100, 140))]
    job = _upload(team_lead, _workbook(rows, dimension=""))
    assert job.rows_total == 0  # no stated size: the run counts
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert job.error_message.startswith("The workbook has 31 rows or more; at most 30")
    assert (job.imported_count, job.rejections.count()) == (0, 0)


def test_the_preview_reads_only_the_shared_strings_its_rows_use(settings):
    # Allowed through the checks on purpose: the preview itself must stay small.
    settings.LEAD_XLSX_MAX_COMPRESSION_RATIO = 100_000
    data = _workbook(padding_strings=200_000)  # 22 MB of shared strings
    options = ReadOptions("xlsx", "", "", 4096)
    tracemalloc.start()
    try:
        preview = preview_file(io.BytesIO(data), options, has_header=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert preview.header == ["Phone", "Name"]
    assert [row.fields for row in preview.rows] == [list(row) for row in ROWS[1:]]
    assert len(data) < 300_000
    assert peak < 3 * 1024 * 1024, f"peak {peak:,} bytes"


def test_a_file_mostly_rejected_stops_with_a_clear_message(team_lead, settings):
    settings.LEAD_IMPORT_REJECT_SAMPLE_ROWS = 100
    lead_list = LeadListFactory(team=team_lead.team)
    good = "".join(f"212-555-{n:04d}\n" for n in range(100, 140))
    text = "Phone\n" + good + "not a number\n" * 500
    job = run_import(lead_list, team_lead, text)
    assert job.state == ImportState.FAILED
    assert job.error_message.startswith(
        "This does not look like a lead file: 60 of the first 100 rows were rejected "
        "(60 invalid phone numbers, 0 malformed rows)."
    )
    assert (job.imported_count, job.rejections.count(), lead_list.leads.count()) == (0, 0, 0)


def test_a_file_under_the_share_imports_with_its_rejections(team_lead, settings):
    settings.LEAD_IMPORT_REJECT_SAMPLE_ROWS = 100
    lead_list = LeadListFactory(team=team_lead.team)
    good = "".join(f"212-555-{n:04d}\n" for n in range(100, 160))
    job = run_import(lead_list, team_lead, "Phone\n" + good + "not a number\n" * 40)
    assert (job.state, job.imported_count, job.invalid_phone_count) == ("done", 60, 40)


def test_rejections_past_the_absolute_cap_stop_the_import(team_lead, settings):
    settings.LEAD_IMPORT_MAX_REJECTED_ROWS = 5
    lead_list = LeadListFactory(team=team_lead.team)
    good = "".join(f"212-555-{n:04d}\n" for n in range(100, 200))
    job = run_import(lead_list, team_lead, "Phone\n" + good + "not a number\n" * 6)
    assert job.state == ImportState.FAILED
    assert "stopped after 6 rejected rows" in job.error_message
    assert (job.rejections.count(), lead_list.leads.count()) == (0, 0)
