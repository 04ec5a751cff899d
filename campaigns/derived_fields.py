"""The vendor fieldset's derived fields (the vendor's field map): the campaign's value as
the page shows it, where it comes from, and what the vendor cannot take of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext

from campaigns.models import DialMethod
from campaigns.spec import (
    LIST_FIELDS,
    SPEC_FIELDS,
    campaign_spec_from_values,
    campaign_values,
    field_map_for,
)
from vendors.models import VendorAccount


@dataclass(frozen=True)
class DerivedShown:
    """A derived vendor field on the page: the campaign field it comes from (and the id
    of its input, for the link), the campaign's value in words, and any problem."""

    source: str
    source_label: str
    value_text: str
    refusals: tuple[str, ...] = ()  # the vendor cannot take the value: refused at save
    missing: tuple[str, ...] = ()  # ids needed before the first sync

    @property
    def source_anchor(self) -> str:
        return f"field-{self.source}"


@dataclass(frozen=True)
class DerivedValues:
    vendor_values: dict[str, Any]
    shown: dict[str, DerivedShown]


def form_campaign_values(campaign_form: forms.ModelForm) -> dict[str, Any]:
    """The campaign's values as the form holds them: what was posted where it is valid,
    the saved (or default) value elsewhere."""
    values = campaign_values(campaign_form.instance)
    if campaign_form.is_bound:
        campaign_form.is_valid()
        cleaned = getattr(campaign_form, "cleaned_data", {})
        for name in (*SPEC_FIELDS, *LIST_FIELDS, "agents"):
            if name in cleaned:
                values[name] = list(cleaned[name]) if name == "agents" else cleaned[name]
    return values


def _with_id(name: str, remote_id: str) -> str:
    return f"{name} (id {remote_id})" if remote_id else name


def _in_words(values: dict[str, Any], source: str, spec) -> str:
    """The campaign's value as the page shows it; agents and lists with the id the
    dialer gets."""
    value = values.get(source)
    if source == "agents":
        names = [_with_id(agent.name, agent.remote_id) for agent in spec.agents]
        return ", ".join(names) or gettext("no agents")
    if source in LIST_FIELDS:
        ref = getattr(spec, source)
        return _with_id(ref.name, ref.remote_id) if ref is not None else gettext("not set")
    if source == "dial_method":
        return str(DialMethod(value).label) if value in DialMethod.values else str(value or "")
    if value is None or value == "":
        return gettext("not set")
    return str(value)


def _by_source(problems) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.source, []).append(problem.message)
    return found


def derived_values(
    *, campaign_form: forms.ModelForm, account: VendorAccount
) -> DerivedValues | None:
    """The derived fields of the campaign as the form holds it."""
    return derived_values_of(values=form_campaign_values(campaign_form), account=account)


def derived_values_of(*, values: dict[str, Any], account: VendorAccount) -> DerivedValues | None:
    field_map = field_map_for(account.kind)
    if field_map is None:
        return None
    spec = campaign_spec_from_values(values=values, account_id=account.pk)
    refusals = _by_source(field_map.refusals(spec))
    missing = _by_source(field_map.requirements(spec))
    shown = {
        row.field: DerivedShown(
            source=row.source,
            source_label=row.source_label,
            value_text=_in_words(values, row.source, spec),
            refusals=tuple(refusals.get(row.source, ())),
            missing=tuple(missing.get(row.source, ())),
        )
        for row in field_map.derived
    }
    return DerivedValues(vendor_values=field_map.values(spec), shown=shown)


def campaign_vendor_display(*, campaign) -> tuple[list[tuple], list[str]]:
    """The detail page's vendor settings: (label, value, campaign source) rows in the
    vendor's order, and the notes on values the campaign replaced."""
    from campaigns.vendor_settings import replaced_vendor_notes, vendor_settings_display

    account = campaign.vendor_account
    if account is None:
        return [], []
    derived = derived_values_of(values=campaign_values(campaign), account=account)
    shown = derived.shown if derived else None
    rows = vendor_settings_display(
        account=account, settings=campaign.vendor_settings, derived=shown
    )
    notes = replaced_vendor_notes(
        account=account, replaced=campaign.replaced_vendor_values, derived=shown
    )
    return rows, notes
