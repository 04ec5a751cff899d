from django import forms
from rest_framework import serializers

from campaigns.models import Campaign, DispositionCode
from dialer_console.int_bounds import (
    ID_RANGE,
    BoundedIntegersForm,
    BoundedIntegersSerializer,
    column_range,
)


def test_column_range_is_the_portable_range_of_the_column_type():
    assert column_range(DispositionCode, "retry_after_minutes") == (0, 2**31 - 1)
    assert column_range(Campaign, "retry_count") == (0, 32767)
    assert column_range(DispositionCode, "disposition_list") == ID_RANGE  # a foreign key's id
    assert column_range(DispositionCode, "not_a_field") == ID_RANGE
    assert column_range(None, "anything") == (-(2**63), 2**63 - 1)


class Codes(BoundedIntegersSerializer, serializers.Serializer):
    bounds_model = DispositionCode

    retry_after_minutes = serializers.IntegerField(max_value=600)
    minutes = serializers.IntegerField(source="position")
    cursor = serializers.IntegerField()
    total = serializers.IntegerField(read_only=True)


def test_a_serializer_keeps_a_tighter_bound_and_takes_the_columns_otherwise():
    fields = Codes().fields
    assert (fields["retry_after_minutes"].min_value, fields["retry_after_minutes"].max_value) == (
        0,
        600,
    )
    assert fields["minutes"].max_value == 32767  # by its source
    assert fields["cursor"].max_value == 2**63 - 1
    assert fields["total"].max_value is None


def test_a_serializer_refuses_past_the_column_with_a_field_error():
    data = {"retry_after_minutes": 1, "minutes": 40_000, "cursor": 2**64}
    serializer = Codes(data=data)
    assert not serializer.is_valid()
    assert serializer.errors == {
        "minutes": ["Ensure this value is less than or equal to 32767."],
        "cursor": ["Ensure this value is less than or equal to 9223372036854775807."],
    }


class Row(BoundedIntegersForm, forms.Form):
    bounds_model = DispositionCode

    retry_after_minutes = forms.IntegerField(min_value=5)


def test_a_form_takes_the_columns_range_and_keeps_its_own_minimum():
    field = Row().fields["retry_after_minutes"]
    assert (field.min_value, field.max_value) == (5, 2**31 - 1)
    assert not Row(data={"retry_after_minutes": 2**31}).is_valid()
    assert Row(data={"retry_after_minutes": 2**31 - 1}).is_valid()
