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
from django.utils.translation import gettext

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
    derived: dict[str, Any] | None = None,
) -> VendorSettingsForm:
    """The vendor's settings form for ``account``.

    ``data``: HTML form data (``html=True``, prefixed inputs) or the API's JSON object.
    ``stored``: the settings saved on a campaign, shown as initial values. The
    console's own checks of vendor fields (``campaigns.checks``) are added to it.
    ``derived``: the vendor's values of the field map's fields, made from the campaign
    (shown read-only)."""
    form_class = settings_form_class(account.kind)
    form = form_class(
        data=data,
        initial=form_class.initial_from_settings(stored),
        prefix=VENDOR_PREFIX if html else None,
        account=account,
        choices_refresh_url=reverse("campaigns:vendor-choices", args=[account.pk]) if html else "",
        derived=derived,
    )
    vendor_field_checks(form)
    return form


def vendor_form_from_api(
    *, account: VendorAccount, given: dict[str, Any], derived: dict[str, Any] | None = None
) -> tuple[VendorSettingsForm | None, dict[str, list[str]]]:
    """The vendor form bound to an API body's ``vendor_settings``, in the vendor's own
    documented JSON shape (Webitel's nested ``parameters``...). A derived field (the
    field map's) or a key the vendor's shape lacks is refused: (None, errors by key)."""
    form_class = settings_form_class(account.kind)
    errors: dict[str, list[str]] = {}
    field_map = form_class.field_map
    for row in field_map.found_in(given) if field_map is not None else ():
        errors[".".join(row.json_path)] = [
            gettext(
                "Set by the campaign: give “%(field)s” (%(label)s) instead; "
                "%(vendor)s gets the campaign's value."
            )
            % {"field": row.source, "label": row.source_label, "vendor": field_map.vendor}
        ]
    data, unknown = form_class.from_api(form_class.field_map.strip(given) if field_map else given)
    for key in unknown:
        errors.setdefault(
            key,
            [
                gettext("%(vendor)s documents no field “%(key)s”.")
                % {"vendor": form_class.vendor_label, "key": key}
            ],
        )
    if errors:
        return None, errors
    return vendor_form(account=account, data=data, derived=derived), {}


def vendor_settings_errors(*, account: VendorAccount, settings: dict[str, Any]) -> dict:
    """Errors of stored ``settings`` against the vendor's current rules ({} when valid)."""
    form_class = settings_form_class(account.kind)
    form = vendor_form(account=account, data=form_class.initial_from_settings(settings))
    return {} if form.is_valid() else form.errors.get_json_data()


def vendor_settings_as_api(*, account: VendorAccount | None, settings: dict[str, Any]) -> dict:
    """Stored settings in the shape the API takes: the vendor's own JSON, vendor-only
    fields (the derived ones are the campaign's fields)."""
    if account is None:
        return dict(settings or {})
    field_map = settings_form_class(account.kind).field_map
    return field_map.strip(settings) if field_map is not None else dict(settings or {})


def _display(field, value) -> str:
    from django import forms

    from vendors.adapters.forms_common import RowsField, SwitchField

    if isinstance(field, SwitchField):
        return gettext("on") if field.prepare_value(value) else gettext("off")
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


def vendor_settings_display(
    *, account: VendorAccount, settings: dict[str, Any], derived: dict | None = None
) -> list[tuple]:
    """(label, value in words, the campaign field it comes from or "") for each setting,
    in the form's order: the stored vendor-only ones, and the derived ones (``derived``:
    field -> ``DerivedShown``) with the campaign's value."""
    form_class = settings_form_class(account.kind)
    initial = form_class.initial_from_settings(settings)
    fields = form_class.base_fields
    rows = []
    for name, field in fields.items():
        if derived and name in derived:
            label = form_class.field_label(name)
            rows.append((label, derived[name].value_text, derived[name].source_label))
        elif name in initial and name not in form_class.derived_names():
            rows.append((form_class.field_label(name), _display(field, initial[name]), ""))
    return rows


def replaced_vendor_notes(
    *, account: VendorAccount, replaced: dict[str, Any], derived: dict | None
) -> list[str]:
    """What the dialer had for each derived field whose old vendor setting differed from
    the campaign (the #12 data migration): "the dialer will get X at the next sync (it had
    Y)"."""
    form_class = settings_form_class(account.kind)
    fields = form_class.base_fields
    notes = []
    for name, info in replaced.items():
        if name not in fields or not derived or name not in derived:
            continue
        had = _display(fields[name], info.get("had"))
        notes.append(
            gettext(
                "%(label)s: the dialer will get %(value)s (the campaign's %(source)s) at the "
                "next sync (it had %(had)s)."
            )
            % {
                "label": form_class.field_label(name),
                "value": derived[name].value_text,
                "source": derived[name].source_label,
                "had": had,
            }
        )
    return notes
