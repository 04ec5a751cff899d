"""The one export writer: escaping, BOM and delimiter, xlsx, keyset chunks."""

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from dialer_console.errors import ApplicationError
from dialer_console.exports import (
    Safe,
    Table,
    csv_lines,
    escape_cell,
    export_format,
    keyset_chunks,
    xlsx_chunks,
)
from leads.models import Lead
from tests.leads.factories import LeadListFactory

INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "|x", "%x"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_starts_are_escaped(value):
    assert escape_cell(value) == "'" + value
    assert escape_cell(Safe(value)) == value  # marked as checked where it was made


def _table():
    rows = [
        [1, '=HYPERLINK("x")', Safe("+4930123"), True, None, datetime(2026, 1, 2, 3, 4, tzinfo=UTC)]
    ]
    return Table("t", ["id", "text", "phone", "flag", "empty", "at"], rows)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_has_a_bom_the_chosen_delimiter_and_escaped_cells(delimiter):
    text = "".join(csv_lines(_table(), delimiter=delimiter))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))
    assert rows[1] == ["1", '\'=HYPERLINK("x")', "+4930123", "yes", "", "2026-01-02T03:04:00+00:00"]


def test_xlsx_holds_no_formula_and_real_types():
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_chunks(_table())))).active
    cells = list(sheet.iter_rows())[1]
    assert [cell.value for cell in cells[:4]] == [1, '\'=HYPERLINK("x")', "+4930123", "yes"]
    assert cells[5].value == datetime(2026, 1, 2, 3, 4)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_unknown_format_is_refused():
    assert export_format("") == "csv" and export_format("XLSX") == "xlsx"
    with pytest.raises(ApplicationError, match="not a download format"):
        export_format("pdf")


def test_keyset_chunks_read_every_row_once_by_key(db, django_assert_num_queries):
    lead_list = LeadListFactory()
    Lead.objects.bulk_create(
        [Lead(lead_list=lead_list, phone=f"+1212555{n:04d}") for n in range(25)]
    )
    rows = Lead.objects.filter(lead_list=lead_list)
    with django_assert_num_queries(3) as captured:
        chunks = list(keyset_chunks(rows, size=10))
    assert [len(chunk) for chunk in chunks] == [10, 10, 5]
    assert [lead.pk for chunk in chunks for lead in chunk] == sorted(
        rows.values_list("id", flat=True)
    )
    assert all("OFFSET" not in query["sql"] for query in captured.captured_queries)
