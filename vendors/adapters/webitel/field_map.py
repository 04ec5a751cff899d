"""Webitel's field map (``shared/vendors/webitel-dialer-v2.txt``): the dialer's name,
description and type, its calendar (the calling window's Webitel calendar), its attempts,
interval, wrap-up and originate timeout, and its agents come from the console campaign.
Every other field of ``forms.WebitelCampaignForm`` is vendor-only."""

from __future__ import annotations

from vendors.adapters.field_map import (
    Derived,
    FieldMap,
    agent_ids,
    agents_need_ids,
    all_of,
    dial_method_refusal,
    list_needs_id,
    remote_id,
)
from vendors.adapters.types import WindowEnforcement, WindowMeans

VENDOR = "Webitel"
TYPES = {
    "predictive": "Predictive Dialer",
    "progressive": "Progressive Dialer",
    "broadcast": "Voice Broadcasting",
}
TYPES_BACK = {value: key for key, value in TYPES.items()}


def _seconds_to_minutes(value) -> int:
    return int(value) // 60


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
    refusals=dial_method_refusal(
        VENDOR, TYPES, "Predictive Dialer, Progressive Dialer and Voice Broadcasting"
    ),
    requirements=all_of(
        agents_need_ids(VENDOR), list_needs_id(VENDOR, "calling_window", required=True)
    ),
)


# How the calling window is enforced on webitel (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.PER_LEAD,
    enforced=(
        "Each member carries its lead's time zone (timezone), and the dialer's communication "
        "ranges are the calling window's hours (derived from the campaign, not typed), so "
        "Webitel dials a member only inside those hours in the member's own zone, on the days "
        "of the dialer's calendar (the window's Webitel calendar). The console pushes a lead "
        "only on a day its window is open."
    ),
    outside_control=(
        "The calendar's days are kept in Webitel, and the console's public holidays and local "
        "weekends per lead are not in it: a member pushed on an open day and not dialled that "
        "day may be dialled on its next calendar day, even a holiday where the lead is. That "
        "Webitel reads the ranges in the member's timezone is from its engine code, not its "
        "documentation (api-facts §3.5)."
    ),
    take_back=False,
    campaign_time_zone="",
)
