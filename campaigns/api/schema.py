"""The OpenAPI shape of each vendor's ``vendor_settings``, generated from the vendor's own
settings form so the documentation cannot drift from the validation."""

from __future__ import annotations

from functools import cache

from django import forms
from django.utils.translation import gettext
from drf_spectacular.plumbing import list_hash
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from vendors.adapters import forms_common
from vendors.adapters.registry import SETTINGS_FORMS, settings_form_class


def _serializer_field(field: forms.Field) -> serializers.Field:
    # An optional field is stored (and answered) as null when it was left empty.
    common = {
        "required": field.required,
        "allow_null": not field.required,
        "help_text": str(field.help_text or field.label or ""),
    }
    if isinstance(field, forms_common.SwitchField):
        # Taken as 0/1 or true/false; some vendors' settings store (and answer) the boolean.
        switch = {"anyOf": [{"type": "integer", "enum": [0, 1]}, {"type": "boolean"}]}
        return _schema_only(switch)(**{**common, "required": False})
    if isinstance(field, forms_common.ListField):
        child = serializers.IntegerField() if field.item_type is int else serializers.CharField()
        return serializers.ListField(child=child, **common)
    if isinstance(field, forms_common.RowsField):
        if field.to_rows is forms_common._as_row_list:
            row = _form_serializer(field.row_form, f"{field.row_form.__name__}Row")
            return serializers.ListField(child=row(), **common)
        # Taken as rows or in the vendor's own nested shape; stored and answered in the
        # vendor's shape.
        columns = ", ".join(field.row_form.base_fields)
        rows_or_vendor_shape = {
            "anyOf": [{"type": "array", "items": {"type": "object"}}, {"type": "object"}],
            "description": f"{common['help_text']}: rows of {columns}, or the vendor's shape.",
        }
        return _schema_only(rows_or_vendor_shape)(**common)
    if isinstance(field, forms_common.MinutesOfDayField):
        return serializers.IntegerField(min_value=0, max_value=1440, **common)
    if isinstance(field, forms.ChoiceField):
        meanings = "; ".join(f"{v} = {label}" for v, label in field.choices if v != "")
        return _inline_enum(field)(**{**common, "help_text": f"{common['help_text']} ({meanings})"})
    # FloatField subclasses IntegerField: test it first.
    if isinstance(field, forms.FloatField):
        return serializers.FloatField(**common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(**common)
    if isinstance(field, forms.DateTimeField):
        return serializers.CharField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.URLField):
        return serializers.URLField(**common)
    return serializers.CharField(**common)


def _schema_only(schema: dict) -> type[serializers.Field]:
    """A field documented by ``schema`` as given (the vendor form validates the value)."""
    return extend_schema_field(schema)(type("VendorValue", (serializers.JSONField,), {}))


def _inline_enum(field: forms.ChoiceField) -> type[serializers.CharField]:
    """A choice documented with its labels in the description."""
    choices = [(value, label) for value, label in field.choices if value != ""]
    schema = {
        "type": "string",
        "enum": [value for value, _ in choices],
        # Hash values with labels, as drf-spectacular does for its own choices, so enums
        # sharing ids 1-3 but not meanings are not merged or reported as colliding.
        "x-spec-enum-id": list_hash([(value, str(label)) for value, label in choices]),
    }
    return extend_schema_field(schema)(type("InlineEnum", (serializers.CharField,), {}))


@cache
def _form_serializer(form_class: type[forms.Form], name: str) -> type[serializers.Serializer]:
    fields = {
        field_name: _serializer_field(field) for field_name, field in form_class.base_fields.items()
    }
    return type(name, (serializers.Serializer,), {**fields, "__doc__": form_class.__doc__})


@cache
def vendor_settings_serializer(kind: str) -> type[serializers.Serializer]:
    """The vendor's ``vendor_settings`` in its own documented JSON shape (Webitel's
    nested ``parameters``, ``amd``, ``agentParams``), vendor-only fields only: each field
    the vendor's field map derives is named in the description with the campaign field
    that sets it, and refused here."""
    form_class = settings_form_class(kind)
    name = form_class.__name__.removesuffix("CampaignForm")
    derived = form_class.derived_names()
    fields: dict[str, serializers.Field] = {}
    for key, inner in form_class.api_shape().items():
        if isinstance(inner, str):
            if inner not in derived:
                fields[key] = _serializer_field(form_class.base_fields[inner])
            continue
        nested = {
            inner_key: _serializer_field(form_class.base_fields[field])
            for inner_key, field in inner.items()
            if field not in derived
        }
        if nested:
            nested_name = f"{name}{key[:1].upper()}{key[1:]}Settings"
            nested_class = type(nested_name, (serializers.Serializer,), nested)
            fields[key] = nested_class(required=False)
    field_map = form_class.field_map
    rows = field_map.derived if field_map is not None else ()
    set_by = "; ".join(f"{'.'.join(row.json_path)} ← {row.source}" for row in rows)
    doc = f"{form_class.vendor_label}'s own settings, in its documented shape."
    if set_by:
        doc += f" Set by the campaign, refused here: {set_by}."
    return type(f"{name}Settings", (serializers.Serializer,), {**fields, "__doc__": doc})


def vendor_settings_schema() -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="VendorSettings",
        serializers=lambda: [vendor_settings_serializer(kind) for kind in SETTINGS_FORMS],
        resource_type_field_name=None,
    )


NO_VENDOR_SETTINGS = {
    "type": "object",
    "maxProperties": 0,
    "description": "A campaign without a vendor account has no settings: {}.",
}


def vendor_settings_postprocess(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: ``VendorSettings`` is any one vendor's settings, or ``{}``.
    ``anyOf``, not the proxy's ``oneOf``: the vendors' forms share field names (``name``),
    so one object may fit two vendors' shapes, and ``oneOf`` would then refuse it."""
    component = result.get("components", {}).get("schemas", {}).get("VendorSettings")
    if component and "oneOf" in component:
        component["anyOf"] = [*component.pop("oneOf"), NO_VENDOR_SETTINGS]
    return result


@extend_schema_field(vendor_settings_schema())
class VendorSettingsField(serializers.JSONField):
    """The vendor's settings, keyed by the vendor form's field names. Validated by that
    form (the campaign's vendor account decides which), errors under
    ``vendor_settings.<field>``."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                gettext("Expected an object of the vendor's settings.")
            )
        return data
