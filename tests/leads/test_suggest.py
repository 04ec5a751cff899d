"""Suggestions from a column's content: phones and e-mails are found whatever the header
says and wherever the column is; numbers that are not phones are never taken for one."""

import itertools

import pytest

from leads.importing.reader import RawRow
from leads.importing.suggest import (
    ColumnSuggestion,
    phone_not_found_error,
    suggest_columns,
    suggest_mapping,
)

DE_PHONES = ["030 12345678", "0151 23456789", "089 1234567", "+49 40 9876543", "0221 555123"]
DE_MOBILES = ["0171 2345678", "0160 9876543", "0152 11122233", "0176 5554443", "0170 1231234"]
NAMES = ["Jürgen", "Anna", "Mehmet", "Olga", "Lena"]
EMAILS = ["j@example.de", "anna.b@example.com", "m@firma.de", "olga@example.org", "l@x.io"]
# Numbers that are not phones. The order ids and the dates would each read as a valid DE
# number on their own; the column's shape gives them away.
ORDER_IDS = ["40012345", "40012346", "40012351", "40012360", "40012377"]
POSTCODES = ["10115", "50667", "80331", "20095", "01067"]
AMOUNTS = ["1234.50", "99.90", "12000.00", "15.5", "870,00"]
DATES = ["2026-12-31", "20261231", "31.12.2026", "2027/01/15", "20270101"]


def _rows(*columns: list[str]) -> list[RawRow]:
    return [
        RawRow(number, list(values), "")
        for number, values in enumerate(zip(*columns, strict=True), start=2)
    ]


def _targets(header, *columns, country="DE") -> list[str]:
    return suggest_mapping(header, rows=_rows(*columns), country=country)


COLUMNS = {
    "order": ORDER_IDS,
    "name": NAMES,
    "phone": DE_PHONES,
    "postcode": POSTCODES,
    "email": EMAILS,
    "amount": AMOUNTS,
}
EXPECTED = {"phone": "phone", "email": "email", "name": "custom"}


@pytest.mark.parametrize("order", list(itertools.permutations(COLUMNS))[::37])
def test_unknown_headers_in_any_order_find_the_phone_and_the_email(order):
    header = [f"col{index}" for index in range(1, len(order) + 1)]
    targets = _targets(header, *(COLUMNS[kind] for kind in order))
    assert targets == [EXPECTED.get(kind, "custom") for kind in order]


def test_a_second_phone_column_becomes_an_alternate():
    header = ["A", "B", "C"]
    assert _targets(header, NAMES, DE_PHONES, DE_MOBILES) == ["custom", "phone", "alt:other"]


@pytest.mark.parametrize(
    "values", [ORDER_IDS, POSTCODES, AMOUNTS, DATES], ids=["order", "postcode", "amount", "date"]
)
def test_numbers_that_are_not_phones_are_never_chosen(values):
    assert _targets(["x", "y"], values, NAMES) == ["custom", "custom"]


def test_running_ids_are_not_phones_even_where_every_such_number_is_valid():
    # 212-555-01xx are valid US numbers; a counter over them is still a counter.
    ids = [str(2125550100 + step) for step in (0, 1, 3, 4, 9)]
    phones = ["212-555-0100", "(646) 555-0199", "718 555 0142", "+1 917 555 0123", "2025550178"]
    assert _targets(["ref", "tel?"], ids, phones, country="US") == ["custom", "phone"]


def test_phones_are_read_with_the_country_given():
    national = ["050 123 4567", "067 234 5678", "093 345 6789", "044 456 7890", "063 111 2233"]
    assert _targets(["c1"], national, country="UA") == ["phone"]
    assert _targets(["c1"], national, country="US") == ["custom"]


def test_the_share_needed_is_four_in_five_of_the_values_present():
    mostly = [*DE_PHONES[:4], "ask at reception", "", ""]
    suggestions = suggest_columns(
        header=["x"], rows=_rows(mostly), country="DE"
    )  # 4 of 5 non-empty
    assert suggestions == [
        ColumnSuggestion(
            "x", "phone", "content", "found by content: 4 of 5 sampled values are valid DE numbers"
        )
    ]
    too_few = [*DE_PHONES[:3], "n/a", "unknown"]
    assert _targets(["x"], too_few) == ["custom"]


def test_a_spreadsheets_text_marker_does_not_hide_a_phone():
    assert _targets(["x"], [f"'{value}" for value in DE_MOBILES]) == ["phone"]


def test_content_breaks_a_tie_between_phone_headers():
    empty_then_junk = ["", "", "-", "", "none"]
    header = ["Phone", "Mobile"]
    assert _targets(header, empty_then_junk, DE_MOBILES) == ["alt:other", "phone"]
    assert suggest_mapping(header) == ["phone", "alt:mobile"]  # no rows: the first one


def test_a_header_name_wins_over_content_and_the_content_column_becomes_an_alternate():
    suggestions = suggest_columns(
        header=["Telefon", "Notiz"], rows=_rows(DE_PHONES, DE_MOBILES), country="DE"
    )
    assert [(s.target, s.source) for s in suggestions] == [
        ("phone", "header"),
        ("alt:other", "content"),
    ]
    assert suggestions[0].note == "from the header name"


def test_a_template_wins_over_header_and_content():
    suggestions = suggest_columns(
        header=["Telefon", "x"],
        rows=_rows(DE_PHONES, DE_MOBILES),
        country="DE",
        template={"x": "phone", "telefon": "ignore"},
    )
    assert [(s.target, s.source) for s in suggestions] == [
        ("ignore", "template"),
        ("phone", "template"),
    ]


def test_an_email_column_is_found_once():
    header = ["a", "b", "c"]
    assert _targets(header, DE_PHONES, EMAILS, EMAILS) == ["phone", "email", "custom"]


def test_the_refusal_names_each_column_and_a_few_shortened_samples():
    long_note = "a very long remark that goes on and on"
    error = phone_not_found_error(
        header=["Name", "Remark", "Empty"],
        rows=_rows(NAMES, [long_note] * 5, [""] * 5),
        country="UA",
    )
    assert error.extra["code"] == "no_phone" and error.extra["country"] == "UA"
    assert error.extra["columns"][0] == {
        "column": "Name",
        "samples": ["Jürgen", "Anna", "Mehmet"],
        "sampled": 5,
        "valid_phones": 0,
    }
    assert error.extra["columns"][1]["samples"][0] == "a very long remark that…"
    assert "valid UA numbers: Name: Jürgen, Anna, Mehmet (0 of 5 valid); " in error.message
    assert "Empty: empty (0 of 0 valid)" in error.message


def test_rows_that_could_not_be_read_are_not_sampled():
    rows = [*_rows(DE_PHONES), RawRow(9, [], "The row contains NUL bytes.")]
    assert suggest_mapping(["x"], rows=rows, country="DE") == ["phone"]


def test_the_refusal_message_stops_after_a_dozen_columns():
    header = [f"c{index}" for index in range(1, 16)]
    error = phone_not_found_error(header=header, rows=_rows(*[NAMES] * 15), country="DE")
    assert error.message.count("(0 of 5 valid)") == 12
    assert "c12: Jürgen, Anna, Mehmet (0 of 5 valid); and 3 more columns." in error.message
    assert len(error.extra["columns"]) == 15
