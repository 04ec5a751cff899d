"""The bridge between a campaign and its vendor's settings form.

The vendor form (``vendors/adapters/<vendor>/forms.py``, found through the registry by
the account's kind) is the one source of truth for a vendor's fields and rules: the
full-page POST, the HTMX inline validation and the API all validate through
``vendor_form`` here, so all three give the same error text.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse

from campaigns.checks import vendor_field_checks
from vendors.adapters.forms_common import VendorSettingsForm
from vendors.adapters.registry import settings_form_class
from vendors.models import VendorAccount

# HTML inputs of the vendor fieldset carry this prefix, apart from the campaign's fields.
VENDOR_PREFIX = "vendor"


def vendor_form(
    *,
    account: VendorAccount,
    data: QueryDict | dict | None = None,
    stored: dict[str, Any] | None = None,
    html: bool = False,
) -> VendorSettingsForm:
    """The vendor's settings form for ``account``.

    ``data``: HTML form data (``html=True``, prefixed inputs) or the API's JSON object.
    ``stored``: the settings saved on a campaign, shown as initial values. The
    console's own checks of vendor fields (``campaigns.checks``) are added to it."""
    form_class = settings_form_class(account.kind)
    form = form_class(
        data=data,
        initial=form_class.initial_from_settings(stored),
        prefix=VENDOR_PREFIX if html else None,
        account=account,
        choices_refresh_url=reverse("campaigns:vendor-choices", args=[account.pk]) if html else "",
    )
    vendor_field_checks(form)
    return form


def vendor_settings_errors(*, account: VendorAccount, settings: dict[str, Any]) -> dict:
    """Errors of stored ``settings`` against the vendor's current rules ({} when valid)."""
    form_class = settings_form_class(account.kind)
    form = vendor_form(account=account, data=form_class.initial_from_settings(settings))
    return {} if form.is_valid() else form.errors.get_json_data()


def vendor_settings_as_api(*, account: VendorAccount | None, settings: dict[str, Any]) -> dict:
    """Stored settings in the shape the API takes: the form's own field names."""
    if account is None:
        return dict(settings or {})
    return settings_form_class(account.kind).initial_from_settings(settings)


def _display(field, value) -> str:
    from django import forms

    from vendors.adapters.forms_common import RowsField, SwitchField

    if isinstance(field, SwitchField):
        return "on" if field.prepare_value(value) else "off"
    if isinstance(field, RowsField):
        rows = field.prepare_value(value)
        return "; ".join(
            ", ".join(f"{key} {item}" for key, item in row.items() if item not in (None, ""))
            for row in rows
        )
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(str(value), value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def vendor_settings_display(*, account: VendorAccount, settings: dict[str, Any]) -> list[tuple]:
    """(label, value in words) for each stored setting, in the form's order."""
    form_class = settings_form_class(account.kind)
    initial = form_class.initial_from_settings(settings)
    fields = form_class.base_fields
    return [
        (fields[name].label, _display(fields[name], initial[name]))
        for name in fields
        if name in initial
    ]
