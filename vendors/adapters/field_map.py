"""The field map: which documented vendor field the console's campaign decides.

Each vendor writes its map once, in ``vendors/adapters/<vendor>/field_map.py``: a table
of ``Derived`` rows, each naming the vendor form's field, the console ``Campaign`` field
it comes from and how the vendor's value is made from the campaign (``CampaignSpec``).
Every other field of the vendor's form is vendor-only and kept in
``Campaign.vendor_settings``.

Who reads it: the vendor's settings form (derived fields are shown read-only and never
stored), the payload builder (``FieldMap.vendor_settings`` puts the campaign's values
where the vendor's JSON wants them, whatever the stored settings say), the API (a derived
field in ``vendor_settings`` is refused, naming the campaign field to set instead) and the
OpenAPI schema (derived fields are left out of each vendor's ``vendor_settings``).

Two kinds of problem are found before anything reaches the dialer:

- ``refusals``: a campaign value the vendor cannot express (Progressive on Acefone), refused
  when the campaign is saved, with the reason;
- ``requirements``: ids the vendor needs and the console does not have yet (an agent with no
  id on the account), refused when a sync would start.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.adapters.types import CampaignSpec

# The console campaign's fields, as its form labels them.
CAMPAIGN_FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "dial_method": gettext_lazy("Dial method"),
    "caller_id": gettext_lazy("Caller ID"),
    "agents": gettext_lazy("Agents"),
    "disposition_list": gettext_lazy("Disposition list"),
    "pause_code_list": gettext_lazy("Pause code list"),
    "calling_window": gettext_lazy("Calling window"),
    "retry_count": gettext_lazy("Retry count"),
    "retry_interval_minutes": gettext_lazy("Retry interval (minutes)"),
    "wrap_up_seconds": gettext_lazy("Wrap-up (seconds)"),
    "ring_timeout_seconds": gettext_lazy("Ring timeout (seconds)"),
}
DIAL_METHOD_LABELS = {
    "preview": gettext_lazy("Preview"),
    "progressive": gettext_lazy("Progressive"),
    "predictive": gettext_lazy("Predictive"),
    "ratio": gettext_lazy("Ratio"),
    "broadcast": gettext_lazy("Voice broadcast"),
}


@dataclass(frozen=True)
class Derived:
    """One vendor field whose value is the campaign's.

    ``field``: the vendor form's field; ``path``: where the value sits in the vendor's
    JSON (default: the field's own name at the top); ``source``: the ``Campaign`` field;
    ``value``: the vendor's value made from the spec (None: not sent);
    ``to_campaign``: the campaign's value made from a stored vendor value, for moving old
    vendor settings into the campaign (None: not a plain value, see the data migration).
    """

    field: str
    source: str
    value: Callable[[CampaignSpec], Any]
    path: tuple[str, ...] = ()
    to_campaign: Callable[[Any], Any] | None = None

    @property
    def json_path(self) -> tuple[str, ...]:
        return self.path or (self.field,)

    @property
    def source_label(self) -> str:
        return CAMPAIGN_FIELD_LABELS[self.source]


@dataclass(frozen=True)
class Problem:
    """Something the vendor cannot take, on the campaign field that must change."""

    source: str
    message: str


def _no_problems(spec: CampaignSpec) -> list[Problem]:
    return []


@dataclass(frozen=True)
class FieldMap:
    vendor: str
    derived: tuple[Derived, ...]
    refusals: Callable[[CampaignSpec], list[Problem]] = _no_problems
    requirements: Callable[[CampaignSpec], list[Problem]] = _no_problems

    @property
    def names(self) -> frozenset[str]:
        return frozenset(row.field for row in self.derived)

    def get(self, field: str) -> Derived | None:
        return next((row for row in self.derived if row.field == field), None)

    def values(self, spec: CampaignSpec) -> dict[str, Any]:
        """The vendor's value of each derived field, by form field."""
        return {row.field: row.value(spec) for row in self.derived}

    def vendor_settings(self, spec: CampaignSpec) -> dict[str, Any]:
        """``spec.settings`` with every derived field replaced by the campaign's value, in
        the vendor's JSON shape: what the payload builder sends. A derived value of None
        is not sent (and a stale stored value under its name is dropped)."""
        settings = self.strip(spec.settings)
        for row in self.derived:
            value = row.value(spec)
            if value is None:
                continue
            *parents, key = row.json_path
            target = settings
            for parent in parents:
                target = target.setdefault(parent, {})
            target[key] = value
        return settings

    def strip(self, settings: dict[str, Any] | None) -> dict[str, Any]:
        """``settings`` without the derived fields (a deep copy)."""
        settings = copy.deepcopy(dict(settings or {}))
        for row in self.derived:
            *parents, key = row.json_path
            target = settings
            for parent in parents:
                target = target.get(parent) if isinstance(target, dict) else None
            if isinstance(target, dict):
                target.pop(key, None)
        return settings

    def stored_value(self, settings: dict[str, Any] | None, row: Derived) -> Any:
        """The value ``settings`` holds for ``row`` (None when absent)."""
        target: Any = settings or {}
        for key in row.json_path:
            if not isinstance(target, dict) or key not in target:
                return None
            target = target[key]
        return target

    def found_in(self, data: dict[str, Any] | None) -> list[Derived]:
        """The derived fields ``data`` (an API body's ``vendor_settings``) tries to set."""
        return [row for row in self.derived if self.stored_value(data, row) is not None]

    def problems(self, spec: CampaignSpec, *, before_sync: bool = True) -> list[Problem]:
        """What stops the campaign from reaching the dialer: the refusals always, and
        with ``before_sync`` the ids it still lacks."""
        found = list(self.refusals(spec))
        if before_sync:
            found += self.requirements(spec)
        return found


# --- requirement helpers shared by the maps ------------------------------------------------


def agents_need_ids(vendor: str, *, numeric: bool = False, at_least_one: bool = False):
    """Every agent of the campaign needs its id on the account ("Asha Rao has no Acefone
    agent id"); ``numeric``: the vendor's agent ids are numbers."""

    def check(spec: CampaignSpec) -> list[Problem]:
        found = []
        if at_least_one and not spec.agents:
            found.append(
                Problem("agents", _("%(vendor)s needs at least one agent.") % {"vendor": vendor})
            )
        for agent in spec.agents:
            if not agent.remote_id:
                found.append(
                    Problem(
                        "agents",
                        _("%(name)s has no %(vendor)s agent id.")
                        % {"name": agent.name, "vendor": vendor},
                    )
                )
            elif numeric and not agent.remote_id.isdigit():
                found.append(
                    Problem(
                        "agents",
                        _("%(name)s's %(vendor)s agent id “%(remote_id)s” is not a number.")
                        % {"name": agent.name, "vendor": vendor, "remote_id": agent.remote_id},
                    )
                )
        return found

    return check


LIST_WORDS = {
    "disposition_list": gettext_lazy("disposition list"),
    "pause_code_list": gettext_lazy("pause code list"),
    "calling_window": gettext_lazy("calling window"),
}


def list_needs_id(vendor: str, source: str, *, required: bool = False):
    """The campaign's list (``source``) needs its id on the account; ``required``: the
    vendor needs the list itself."""
    words = LIST_WORDS[source]

    def check(spec: CampaignSpec) -> list[Problem]:
        ref = getattr(spec, source)
        if ref is None:
            if required:
                return [
                    Problem(
                        source,
                        _("%(vendor)s needs a %(words)s: choose one on the campaign.")
                        % {"vendor": vendor, "words": words},
                    )
                ]
            return []
        if not ref.remote_id:
            return [
                Problem(
                    source,
                    _(
                        "The %(words)s “%(name)s” has no %(vendor)s id: give it on the %(words)s's "
                        "page."
                    )
                    % {"words": words, "name": ref.name, "vendor": vendor},
                )
            ]
        return []

    return check


def all_of(*checks: Callable[[CampaignSpec], list[Problem]]):
    def check(spec: CampaignSpec) -> list[Problem]:
        return [problem for one in checks for problem in one(spec)]

    return check


def remote_id(source: str) -> Callable[[CampaignSpec], str | None]:
    """The id of the campaign's list ``source`` on the account (None: no list or no id)."""

    def value(spec: CampaignSpec) -> str | None:
        ref = getattr(spec, source)
        return ref.remote_id if ref is not None and ref.remote_id else None

    value.remote_id_of = source  # the data migration moves such ids onto the list
    return value


def agent_ids(spec: CampaignSpec) -> list[str]:
    return [agent.remote_id for agent in spec.agents if agent.remote_id]


def dial_method_refusal(vendor: str, methods: dict[str, Any], documented: str):
    """Refuse a dial method the vendor has no value for."""

    def check(spec: CampaignSpec) -> list[Problem]:
        if spec.dial_method and spec.dial_method not in methods:
            method = DIAL_METHOD_LABELS.get(spec.dial_method, spec.dial_method)
            return [
                Problem(
                    "dial_method",
                    _(
                        "%(vendor)s cannot dial “%(method)s”: it documents only %(documented)s. "
                        "Choose one of those dial methods."
                    )
                    % {"vendor": vendor, "method": method, "documented": documented},
                )
            ]
        return []

    return check


def window_daily_hours(spec: CampaignSpec) -> tuple[str, str] | None:
    """The calling window's hours ("HH:MM:SS", "HH:MM:SS") where every day it has is the
    same: what a vendor with one daily time (Ozonetel's run times, Webitel's communication
    ranges) can take. None without a window, without days, or with different hours."""
    window = spec.calling_window
    if window is None or not window.days:
        return None
    hours = {(day.start, day.end) for day in window.days}
    return next(iter(hours)) if len(hours) == 1 else None


def one_daily_hours_refusal(vendor: str, what: str):
    """Refuse a calling window with different hours on different days, for a vendor whose
    ``what`` ("one run time") holds one daily time."""

    def check(spec: CampaignSpec) -> list[Problem]:
        window = spec.calling_window
        if window is not None and window.days and window_daily_hours(spec) is None:
            return [
                Problem(
                    "calling_window",
                    _(
                        "%(vendor)s takes %(what)s for every day; the calling window "
                        "“%(name)s” has different hours on different days."
                    )
                    % {"vendor": vendor, "what": what, "name": window.name},
                )
            ]
        return []

    return check
