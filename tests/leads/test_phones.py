"""The fast path gives exactly what phonenumbers gives, or steps aside."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leads import phones
from leads.phones import phone_normalise, phone_normalise_reference

digit = st.sampled_from("0123456789")
separator = st.sampled_from(["", " ", "-", "."])


@st.composite
def nanp_shaped(draw) -> str:
    area = "".join(draw(st.lists(digit, min_size=3, max_size=3)))
    exchange = "".join(draw(st.lists(digit, min_size=3, max_size=3)))
    line = "".join(draw(st.lists(digit, min_size=4, max_size=4)))
    area = f"({area})" if draw(st.booleans()) else area
    prefix = draw(st.sampled_from(["", "1", "1 ", "+1", "+1 ", "+1-", "+", "+2", " "]))
    sep1, sep2 = draw(separator), draw(separator)
    return f"{prefix}{area}{sep1}{exchange}{sep2}{line}"


REGIONS = st.sampled_from(["US", "CA", "DE", "GB", "IL", "IN", "BS", ""])


@settings(max_examples=3000, deadline=None)
@given(raw=nanp_shaped(), region=REGIONS)
def test_fast_path_agrees_with_phonenumbers_on_nanp_shapes(raw, region):
    assert phone_normalise(raw, region) == phone_normalise_reference(raw, region)


@settings(max_examples=1500, deadline=None)
@given(raw=st.text(alphabet="0123456789 +-().x", max_size=20), region=REGIONS)
def test_fast_path_agrees_with_phonenumbers_on_any_phone_like_text(raw, region):
    assert phone_normalise(raw, region) == phone_normalise_reference(raw, region)


@settings(max_examples=500, deadline=None)
@given(raw=st.text(max_size=25), region=REGIONS)
def test_fast_path_agrees_with_phonenumbers_on_arbitrary_text(raw, region):
    assert phone_normalise(raw, region) == phone_normalise_reference(raw, region)


def test_the_cache_by_first_six_digits_is_justified_by_the_metadata():
    assert phones.us_type_depends_on_first_six()


@pytest.mark.parametrize(
    ("raw", "region", "e164", "zone"),
    [
        ("(212) 555-0100", "US", "+12125550100", "America/New_York"),
        ("+1 416 555 0100", "DE", "+14165550100", "America/Toronto"),
        ("030 1234567", "DE", "+49301234567", "Europe/Berlin"),
        ("052-555-4000", "IL", "+972525554000", "Asia/Jerusalem"),
        ("+1 800 555 0100", "US", "+18005550100", ""),  # toll free: several zones
    ],
)
def test_known_numbers(raw, region, e164, zone):
    assert phone_normalise(raw, region) == (e164, zone)


def test_invalid_numbers_are_none():
    assert phone_normalise("12345", "US") is None
    assert phone_normalise("call me", "US") is None
    assert phone_normalise("(555) 123-4567", "US") is None
