"""Integers in the campaigns' HTML forms are held to their columns' range: a number past
it is a form error, never a database error."""

import pytest

from campaigns.forms import CampaignForm, DispositionCodeRow

MAX_INT = "Ensure this value is less than or equal to 2147483647."


def test_a_disposition_code_retry_past_the_column_is_a_form_error():
    row = DispositionCodeRow(
        data={"code": "NA", "label": "No answer", "retry_after_minutes": 2**31}
    )
    assert not row.is_valid()
    assert row.errors["retry_after_minutes"] == [MAX_INT]
    assert row.fields["retry_after_minutes"].widget.attrs["max"] == 2**31 - 1


def test_a_disposition_code_retry_within_the_column_is_taken():
    row = DispositionCodeRow(
        data={"code": "NA", "label": "No answer", "retry_after_minutes": 2**31 - 1}
    )
    assert row.is_valid(), row.errors


@pytest.mark.django_db
def test_campaign_integers_past_their_columns_are_form_errors():
    data = {
        "name": "Big",
        "dial_method": "progressive",
        "retry_count": 32_768,
        "retry_interval_minutes": 2**31,
        "wrap_up_seconds": 2**40,
        "ring_timeout_seconds": -1,
    }
    form = CampaignForm(data=data)
    assert not form.is_valid()
    assert form.errors["retry_count"] == ["Ensure this value is less than or equal to 32767."]
    assert form.errors["retry_interval_minutes"] == [MAX_INT]
    assert form.errors["wrap_up_seconds"] == [MAX_INT]
    assert form.errors["ring_timeout_seconds"] == [
        "Ensure this value is greater than or equal to 0."
    ]
