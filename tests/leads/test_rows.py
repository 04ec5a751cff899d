"""One row into a staged lead or a rejection (leads/importing/rows.py): every value the
database could refuse is rejected with its row, so one bad cell never fails an import."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialer_console.errors import ApplicationError
from leads import services
from leads.importing.reader import RawRow
from leads.importing.rows import Rejection, RowMapper, StagedLead
from leads.models import ImportState, Lead
from tests.leads.factories import LeadListFactory
from tests.leads.helpers import run_import

pytestmark = pytest.mark.django_db

COLUMNS = ["phone", "first_name", "last_name", "email", "timezone", "priority", "expires_on",
           "alt:mobile", "custom"]  # fmt: skip


def _mapper() -> RowMapper:
    return RowMapper(
        header=[f"col {i}" for i in range(len(COLUMNS))],
        mapping=COLUMNS,
        country="US",
        default_timezone="UTC",
    )


def _map(**values) -> StagedLead | Rejection:
    fields = [values.get(target.replace(":", "_"), "") for target in COLUMNS]
    fields[0] = values.get("phone", "212-555-0100")
    return _mapper().map(RawRow(2, fields, ""))


@pytest.mark.parametrize(
    ("values", "detail"),
    [
        ({"priority": "99999999999999"}, "Priority 99999999999999 is outside"),
        ({"priority": "2147483648"}, "is outside -2,147,483,648 to 2,147,483,647"),
        ({"priority": "-2147483649"}, "is outside"),
        ({"priority": "9" * 400}, "is not a whole number"),
        ({"first_name": "x" * 201}, "The first name is longer than 200 characters"),
        ({"last_name": "x" * 201}, "The last name is longer than 200 characters"),
        ({"email": "x" * 255}, "The e-mail address is longer than 254 characters"),
        ({"timezone": "Europe/" + "x" * 80}, "The time zone is longer than 64 characters"),
        ({"timezone": "Mars/Base"}, "Unknown time zone"),
        ({"expires_on": "2026-02-30"}, "is not a date"),
        ({"expires_on": "31.12.10000"}, "is not a date"),
        ({"first_name": "Gr\x00ace"}, "The first name contains a NUL byte"),
        ({"email": "a\ud800@example.com"}, "contains a NUL byte or an invalid character"),
        ({"custom": "a\x00b"}, "A custom field contains a NUL byte"),
        ({"custom": "a\udc80b"}, "A custom field contains a NUL byte or an invalid"),
    ],
)
def test_a_value_the_database_would_refuse_rejects_its_row(values, detail):
    result = _map(**values)
    assert isinstance(result, Rejection), result
    assert (result.reason, result.row_number) == ("malformed", 2)
    assert detail in result.detail


def test_values_at_the_columns_limits_are_staged():
    result = _map(
        priority="2147483647", first_name="x" * 200, email="e" * 254, expires_on="9999-12-31"
    )
    assert isinstance(result, StagedLead)
    assert (result.priority, len(result.first_name)) == (2147483647, 200)
    assert _map(priority="-2147483648").priority == -2147483648


# Cells a lead file may hold: anything at all, and near misses of every field's type.
_cell = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.integers(min_value=-(2**33), max_value=2**33).map(str),
    st.dates().map(lambda day: day.strftime("%d.%m.%Y")),
    st.sampled_from(["Europe/Berlin", "UTC", "2026-12-31", "31/12/2026", "0000-01-01", "-0"]),
    st.floats().map(str),
)
_phone = st.one_of(st.sampled_from(["212-555-0100", "+49 30 1234567", ""]), st.text(max_size=30))
_row = st.tuples(_phone, *[_cell] * (len(COLUMNS) - 1))


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Phone", "First", "Last", "Mail", "Zone", "Prio", "Expiry", "Mobile", "X"])
    writer.writerows(rows)
    return out.getvalue()


def _assert_every_row_accounted_for(job, rows: int) -> None:
    assert job.state == ImportState.DONE, job.error_message
    rejected = job.rejections.count()
    assert job.imported_count + job.updated_count + rejected + job.blank_count == rows
    assert Lead.objects.filter(import_job=job).count() == job.imported_count


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(_row, min_size=1, max_size=8))
def test_random_cells_in_every_field_end_imported_or_reported_never_failed(team_lead, rows):
    lead_list = LeadListFactory(team=team_lead.team)
    try:
        job = run_import(
            lead_list, team_lead, _csv(rows), mapping=COLUMNS, duplicate_policy="keep_both"
        )
    except ApplicationError:
        return  # refused at upload as a whole (blank, binary), with its message
    _assert_every_row_accounted_for(job, job.rows_read)


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    leads=st.lists(
        st.fixed_dictionaries(
            {"phone": _phone},
            optional={
                **{
                    name: _cell
                    for name in (
                        "first_name",
                        "last_name",
                        "email",
                        "timezone",
                        "priority",
                        "expires_on",
                    )
                },  # fmt: skip
                "custom_fields": st.dictionaries(st.text(max_size=10), _json_value, max_size=3),
                "alternate_phones": st.lists(_json_value, max_size=2),
            },
        ),
        min_size=1,
        max_size=6,
    )
)
def test_random_values_in_a_bulk_add_end_with_one_result_each(team_lead, leads):
    lead_list = LeadListFactory(team=team_lead.team)
    job, results = services.leads_bulk_add(
        lead_list=lead_list, leads=leads, acting_user=team_lead, duplicate_policy="keep_both"
    )
    assert [result.index for result in results] == list(range(len(leads)))
    _assert_every_row_accounted_for(job, len(leads))


@pytest.mark.postgres
def test_an_out_of_range_priority_rejects_its_row_on_postgresql(team_lead, require_postgres):
    lead_list = LeadListFactory(team=team_lead.team)
    text = "Phone,Priority,X\n212-555-0100,99999999999999,a\x01\n212-555-0101,5,b\n"
    job = run_import(lead_list, team_lead, text, mapping=["phone", "priority", "custom"])
    assert (job.state, job.imported_count, job.malformed_count) == (ImportState.DONE, 1, 1)
    assert "outside" in job.rejections.get().detail
