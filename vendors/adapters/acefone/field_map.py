"""Acefone's field map (``shared/vendors/acefone-add-dialer-campaign.txt``): the fields of
"Add a dialer campaign" that the console campaign decides. Every other field of
``forms.AcefoneCampaignForm`` is vendor-only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.adapters.field_map import (
    Derived,
    FieldMap,
    Problem,
    agents_need_ids,
    all_of,
    dial_method_refusal,
    list_needs_id,
    remote_id,
)
from vendors.adapters.types import CampaignSpec, WindowEnforcement, WindowMeans

VENDOR = "Acefone"
# The document's dial_method ids: 1 Preview, 2 Ratio; it has no other.
DIAL_METHODS = {"preview": "1", "ratio": "2"}
DIAL_METHODS_BACK = {value: key for key, value in DIAL_METHODS.items()}


def _digits(value) -> int:
    return int(str(value).strip())


def _agent_ids(spec: CampaignSpec) -> list[int]:
    return [int(agent.remote_id) for agent in spec.agents if agent.remote_id.isdigit()]


def _caller_id(spec: CampaignSpec) -> list[Problem]:
    if not spec.caller_id:
        return [
            Problem(
                "caller_id", _("%(vendor)s needs the campaign's caller ID.") % {"vendor": VENDOR}
            )
        ]
    return []


FIELD_MAP = FieldMap(
    vendor=VENDOR,
    derived=(
        Derived("name", "name", lambda spec: spec.name, to_campaign=str),
        Derived(
            "description", "description", lambda spec: spec.description or None, to_campaign=str
        ),
        Derived(
            "dial_method",
            "dial_method",
            lambda spec: DIAL_METHODS.get(spec.dial_method),
            to_campaign=lambda value: DIAL_METHODS_BACK.get(str(value)),
        ),
        Derived(
            "outbound_caller_id",
            "caller_id",
            lambda spec: spec.caller_id or None,
            to_campaign=str,
        ),
        Derived("disposition_list", "disposition_list", remote_id("disposition_list")),
        Derived(
            "number_of_retry",
            "retry_count",
            lambda spec: str(spec.retry_count),
            to_campaign=_digits,
        ),
        Derived(
            "retry_after_minutes",
            "retry_interval_minutes",
            lambda spec: str(spec.retry_interval_minutes),
            to_campaign=_digits,
        ),
        Derived(
            "auto_disposition_cancel_duration",
            "wrap_up_seconds",
            lambda spec: str(spec.wrap_up_seconds),
            to_campaign=_digits,
        ),
        Derived("time_group", "calling_window", remote_id("calling_window")),
        Derived(
            "ring_timeout",
            "ring_timeout_seconds",
            lambda spec: str(spec.ring_timeout_seconds),
            to_campaign=_digits,
        ),
        Derived("break_list", "pause_code_list", remote_id("pause_code_list")),
        Derived("agent", "agents", _agent_ids),
    ),
    refusals=dial_method_refusal(VENDOR, DIAL_METHODS, "Preview and Ratio"),
    requirements=all_of(
        _caller_id,
        agents_need_ids(VENDOR, numeric=True, at_least_one=True),
        list_needs_id(VENDOR, "disposition_list", required=True),
        list_needs_id(VENDOR, "pause_code_list"),
        list_needs_id(VENDOR, "calling_window"),
    ),
)


# How the calling window is enforced on acefone (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.CAMPAIGN_TIME,
    enforced=gettext_lazy(
        "Acefone documents no per-lead time and no start or stop; its campaign-level time is "
        "the time_group (the calling window's Acefone time group). The console pushes a lead "
        "only while its window is open and only when the rest of its window today lies within "
        "the campaign's time, and takes back a lead not dialled by its window's close (lead "
        "delete)."
    ),
    outside_control=gettext_lazy(
        "Acefone can still dial a pushed lead at any moment of the time group until the "
        "console takes it back, minutes after the lead's window closes; the console cannot "
        "pause the campaign. The time group's hours are kept in Acefone: the console takes "
        "them to be the window's hours in the window's fixed zone, else in Asia/Kolkata (a "
        "guess: Acefone documents neither). Deleting a lead is seen only in third-party code."
    ),
    take_back=True,
    campaign_time_zone="Asia/Kolkata",
)
