"""Ozonetel's field map (campaignControl, ``api-facts.md`` §5.5): the campaign type comes
from the dial method, the DID from the caller ID and the run times from the calling
window. The campaign's name on Ozonetel stays vendor-only: Ozonetel finds a campaign by
its name and cannot rename it, so it must not follow the console's name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vendors.adapters.field_map import Derived, FieldMap, Problem, dial_method_refusal
from vendors.adapters.types import CampaignSpec

VENDOR = "Ozonetel"
CAMPAIGN_TYPES = {  # the console's dial method -> Ozonetel's campaignType [D]
    "": "Progressive",
    "preview": "Preview",
    "progressive": "Progressive",
    "predictive": "Predictive",
    "broadcast": "IVR",
}
CAMPAIGN_TYPES_BACK = {"Preview": "preview", "Progressive": "progressive",
                       "Predictive": "predictive", "IVR": "broadcast"}  # fmt: skip


def _run_times(spec: CampaignSpec) -> tuple[str, str] | None:
    window = spec.calling_window
    if window is None or not window.days:
        return None
    hours = {(day.start, day.end) for day in window.days}
    return next(iter(hours)) if len(hours) == 1 else None


def _one_run_time(spec: CampaignSpec) -> list[Problem]:
    window = spec.calling_window
    if window is not None and window.days and _run_times(spec) is None:
        return [
            Problem(
                "calling_window",
                _(
                    "%(vendor)s takes one run time for every day; the calling window “%(name)s” "
                    "has different hours on different days."
                )
                % {"vendor": VENDOR, "name": window.name},
            )
        ]
    return []


def _refusals(spec: CampaignSpec) -> list[Problem]:
    refusal = dial_method_refusal(
        VENDOR, CAMPAIGN_TYPES, "Preview, Progressive, Predictive and IVR"
    )
    return refusal(spec) + _one_run_time(spec)


def _start(spec: CampaignSpec) -> str | None:
    times = _run_times(spec)
    return times[0] if times else None


def _end(spec: CampaignSpec) -> str | None:
    times = _run_times(spec)
    return times[1] if times else None


FIELD_MAP = FieldMap(
    vendor=VENDOR,
    derived=(
        Derived(
            "campaign_type",
            "dial_method",
            lambda spec: CAMPAIGN_TYPES.get(spec.dial_method),
            to_campaign=lambda value: CAMPAIGN_TYPES_BACK.get(str(value)),
        ),
        Derived(
            "did",
            "caller_id",
            lambda spec: spec.caller_id.lstrip("+") or None,
            to_campaign=lambda value: f"+{str(value).lstrip('+')}",
        ),
        Derived("runtime_start", "calling_window", _start),
        Derived("runtime_end", "calling_window", _end),
    ),
    refusals=_refusals,
)
