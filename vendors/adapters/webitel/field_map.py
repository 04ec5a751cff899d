"""Webitel's field map (``shared/vendors/webitel-dialer-v2.txt``): the dialer's name,
description and type, its calendar (the calling window's Webitel calendar), its attempts,
interval, wrap-up and originate timeout, and its agents come from the console campaign,
and so do the time ranges of its communication types (``communications``: the calling
window's hours, in minutes of the day). Every other field of ``forms.WebitelCampaignForm``
is vendor-only, the communication types' names, codes, attempts and priorities too."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from vendors.adapters.field_map import (
    Derived,
    FieldMap,
    agent_ids,
    agents_need_ids,
    all_of,
    dial_method_refusal,
    list_needs_id,
    one_daily_hours_refusal,
    remote_id,
    window_daily_hours,
)
from vendors.adapters.types import CampaignSpec, WindowEnforcement, WindowMeans

VENDOR = "Webitel"
TYPES = {
    "predictive": "Predictive Dialer",
    "progressive": "Progressive Dialer",
    "broadcast": "Voice Broadcasting",
}
TYPES_BACK = {value: key for key, value in TYPES.items()}


def _seconds_to_minutes(value) -> int:
    return int(value) // 60


# The communication type a campaign gets when its settings name none: the console's own
# choice, not Webitel's (its example names "Personal", code "1").
DEFAULT_COMMUNICATION_TYPE = {"name": "Phone", "code": "1"}


def _minutes(hms: str) -> int:
    """Whole minutes of the day, a part minute rounded up (never earlier than the window,
    and 23:59:59 is the day's end, 1440)."""
    hours, minutes, *seconds = (int(part) for part in hms.split(":"))
    return hours * 60 + minutes + (1 if any(seconds) else 0)


def communications(spec: CampaignSpec) -> dict[str, Any]:
    """``communications`` as Webitel takes it: each stored type (or the default one) with
    one time range, the calling window's daily hours in minutes of the day (the window's
    end at 24:00 is 1440), keeping the type's attempts and priority. Webitel reads the
    ranges in each member's ``timezone`` ([V] engine code, api-facts §3.5). No range
    without one daily hours (the refusal below says why) or without a window."""
    stored = (spec.settings.get("communications") or {}).get("types") or []
    hours = window_daily_hours(spec)
    types = []
    for kind in stored or [DEFAULT_COMMUNICATION_TYPE]:
        first = next(iter(kind.get("ranges") or []), {})
        kept = {key: first[key] for key in ("attempts", "priority") if key in first}
        ranges = []
        if hours is not None:
            end = _minutes(hours[1]) or 24 * 60
            ranges.append({"startTime": _minutes(hours[0]), "endTime": end, **kept})
        types.append({"name": kind["name"], "code": str(kind["code"]), "ranges": ranges})
    return {"types": types}


FIELD_MAP = FieldMap(
    vendor=VENDOR,
    derived=(
        Derived("name", "name", lambda spec: spec.name, to_campaign=str),
        Derived(
            "description", "description", lambda spec: spec.description or None, to_campaign=str
        ),
        Derived(
            "type",
            "dial_method",
            lambda spec: TYPES.get(spec.dial_method),
            to_campaign=lambda value: TYPES_BACK.get(str(value)),
        ),
        Derived(
            "calendar_id", "calling_window", remote_id("calling_window"), path=("calendar", "id")
        ),
        Derived(
            "calendar_name",
            "calling_window",
            lambda spec: spec.calling_window.name if spec.calling_window else None,
            path=("calendar", "name"),
        ),
        Derived(
            "parameters_originateTimeout",
            "ring_timeout_seconds",
            lambda spec: spec.ring_timeout_seconds,
            path=("parameters", "originateTimeout"),
            to_campaign=int,
        ),
        Derived(
            "parameters_maxTryCount",
            "retry_count",
            lambda spec: spec.retry_count,
            path=("parameters", "maxTryCount"),
            to_campaign=int,
        ),
        Derived(
            "parameters_intervalTryCount",
            "retry_interval_minutes",
            lambda spec: spec.retry_interval_minutes * 60,
            path=("parameters", "intervalTryCount"),
            to_campaign=_seconds_to_minutes,
        ),
        Derived(
            "parameters_wrapUpTime",
            "wrap_up_seconds",
            lambda spec: spec.wrap_up_seconds,
            path=("parameters", "wrapUpTime"),
            to_campaign=int,
        ),
        Derived("agents", "agents", agent_ids),
    ),
    refusals=lambda spec: (
        dial_method_refusal(
            VENDOR, TYPES, "Predictive Dialer, Progressive Dialer and Voice Broadcasting"
        )(spec)
        + one_daily_hours_refusal(VENDOR, gettext_lazy("one time range per communication type"))(
            spec
        )
    ),
    requirements=all_of(
        agents_need_ids(VENDOR), list_needs_id(VENDOR, "calling_window", required=True)
    ),
)


# How the calling window is enforced on webitel (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.PER_LEAD,
    enforced=gettext_lazy(
        "Each member carries its lead's time zone (timezone), and the dialer's communication "
        "ranges are the calling window's hours (derived from the campaign, not typed), so "
        "Webitel dials a member only inside those hours in the member's own zone, on the days "
        "of the dialer's calendar (the window's Webitel calendar). The console pushes a lead "
        "only on a day its window is open."
    ),
    outside_control=gettext_lazy(
        "The calendar's days are kept in Webitel, and the console's public holidays and local "
        "weekends per lead are not in it: a member pushed on an open day and not dialled that "
        "day may be dialled on its next calendar day, even a holiday where the lead is. That "
        "Webitel reads the ranges in the member's timezone is from its engine code, not its "
        "documentation (api-facts §3.5)."
    ),
    take_back=False,
    campaign_time_zone="",
)
