"""Ozonetel's field map (campaignControl, ``api-facts.md`` §5.5): the campaign type comes
from the dial method, the DID from the caller ID and the run times from the calling
window. The campaign's name on Ozonetel stays vendor-only: Ozonetel finds a campaign by
its name and cannot rename it, so it must not follow the console's name.

Agents (api-facts §5: Ozonetel has no campaign-level agent list; each lead row carries
``agentId`` and ``skill``): ``agent_id`` is derived, the campaign's agents by their
Ozonetel agent id (``AgentRemoteId``), in the campaign's order; an agent without one is
refused before sync. The skill stays vendor-only, in two fields: ``skill``, the one skill
every lead routed to an agent carries (empty: none), and ``skills``, skill-only routing
targets (a lead with a skill and no agent). Leads go in turn, by lead id, to each agent
and then each skill-only target (``payloads.routing_targets``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.adapters.field_map import (
    Derived,
    FieldMap,
    Problem,
    agent_ids,
    agents_need_ids,
    dial_method_refusal,
    one_daily_hours_refusal,
    window_daily_hours,
)
from vendors.adapters.types import CampaignSpec, WindowEnforcement, WindowMeans

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


def _refusals(spec: CampaignSpec) -> list[Problem]:
    refusal = dial_method_refusal(
        VENDOR, CAMPAIGN_TYPES, "Preview, Progressive, Predictive and IVR"
    )
    return refusal(spec) + one_daily_hours_refusal(VENDOR, gettext_lazy("one run time"))(spec)


def _agentwise_needs_agents(spec: CampaignSpec) -> list[Problem]:
    if spec.settings.get("routing_method") == "Agentwise" and not spec.agents:
        return [Problem("agents", _("Agentwise routing needs at least one agent on the campaign."))]
    return []


def _start(spec: CampaignSpec) -> str | None:
    times = window_daily_hours(spec)
    return times[0] if times else None


def _end(spec: CampaignSpec) -> str | None:
    times = window_daily_hours(spec)
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
        Derived("agent_id", "agents", agent_ids),
    ),
    refusals=_refusals,
    requirements=lambda spec: agents_need_ids(VENDOR)(spec) + _agentwise_needs_agents(spec),
)


# How the calling window is enforced on ozonetel (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.GATE,
    enforced=gettext_lazy(
        "The console pushes a lead only while its window is open, with ExpiryDate the "
        "date its window closes; the campaign's run times (runtimeStart/runtimeEnd) are "
        "the calling window's hours."
    ),
    outside_control=gettext_lazy(
        "Run times are one daily span in the account's zone, not each lead's, and "
        "ExpiryDate is a whole date (read in India time, a guess): a lead pushed and not "
        "dialled before its window closes can still be dialled within the run times until "
        "its ExpiryDate ends. The console does not take it back: Ozonetel's results come "
        "by export, so it cannot know in time whether the lead was dialled, and sending "
        "it again could call it twice."
    ),
    take_back=False,
    campaign_time_zone="",
)
