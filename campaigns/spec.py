"""The campaign as the vendor adapters see it (``CampaignSpec``), and what the vendor's
field map says about it: the values it cannot express and the ids it still lacks."""

from __future__ import annotations

from typing import Any

from campaigns.models import AgentRemoteId, Campaign, ListRemoteId
from dialer_console.errors import ApplicationError
from vendors.adapters.field_map import FieldMap, Problem
from vendors.adapters.registry import settings_form_class
from vendors.adapters.types import (
    AgentRef,
    CallingWindowRef,
    CampaignSpec,
    NamedListRef,
    WindowDayRef,
)

# The campaign fields a spec is made of (beside the vendor settings).
SPEC_FIELDS = (
    "name",
    "description",
    "dial_method",
    "caller_id",
    "retry_count",
    "retry_interval_minutes",
    "wrap_up_seconds",
    "ring_timeout_seconds",
)
LIST_FIELDS = ("disposition_list", "pause_code_list", "calling_window")


def field_map_for(kind: str) -> FieldMap | None:
    return getattr(settings_form_class(kind), "field_map", None)


def _list_remote_id(owner, field: str, account_id: int | None) -> str:
    if owner is None or account_id is None:
        return ""
    found = ListRemoteId.objects.filter(**{field: owner}, vendor_account_id=account_id)
    return found.values_list("remote_id", flat=True).first() or ""


def _code_list(owner, field: str, account_id: int | None) -> NamedListRef | None:
    if owner is None:
        return None
    return NamedListRef(
        name=owner.name,
        remote_id=_list_remote_id(owner, field, account_id),
        codes=tuple(owner.codes.values_list("code", "label")),
    )


def _window(window, account_id: int | None) -> CallingWindowRef | None:
    if window is None:
        return None
    return CallingWindowRef(
        name=window.name,
        remote_id=_list_remote_id(window, "calling_window", account_id),
        timezone=window.fixed_timezone,
        days=tuple(
            WindowDayRef(day.weekday, f"{day.start:%H:%M:%S}", f"{day.end:%H:%M:%S}")
            for day in window.days.all()
        ),
        holidays=tuple(window.holidays.values_list("date", flat=True)),
    )


def campaign_spec_from_values(
    *, values: dict[str, Any], account_id: int | None, settings: dict[str, Any] | None = None
) -> CampaignSpec:
    """A spec from the campaign's values (a saved campaign's, or a form's being edited):
    the ``SPEC_FIELDS``, ``agents`` (Agent rows) and the three lists (rows or None), each
    with its id on the vendor account ("" when it has none there)."""
    agents = sorted(
        (agent for agent in values.get("agents") or () if agent.active), key=lambda a: a.name
    )
    remote_ids = {}
    if account_id is not None and agents:
        remote_ids = dict(
            AgentRemoteId.objects.filter(
                agent__in=agents, vendor_account_id=account_id
            ).values_list("agent_id", "remote_id")
        )
    return CampaignSpec(
        **{name: values[name] for name in SPEC_FIELDS},
        agents=tuple(
            AgentRef(
                name=agent.name,
                email=agent.email,
                extension=agent.extension,
                remote_id=remote_ids.get(agent.pk, ""),
            )
            for agent in agents
        ),
        disposition_list=_code_list(values.get("disposition_list"), "disposition_list", account_id),
        pause_code_list=_code_list(values.get("pause_code_list"), "pause_code_list", account_id),
        calling_window=_window(values.get("calling_window"), account_id),
        settings=dict(settings or {}),
    )


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    values = {name: getattr(campaign, name) for name in (*SPEC_FIELDS, *LIST_FIELDS)}
    values["agents"] = list(campaign.agents.all()) if campaign.pk else []
    return values


def campaign_spec(*, campaign: Campaign) -> CampaignSpec:
    """The campaign as the vendor adapters take it: agents and lists with their ids on
    the campaign's vendor account ("" when they have none there), inactive agents left
    out, and the stored vendor-only settings."""
    return campaign_spec_from_values(
        values=campaign_values(campaign),
        account_id=campaign.vendor_account_id,
        settings=campaign.vendor_settings,
    )


def campaign_field_map_problems(*, campaign: Campaign, before_sync: bool) -> list[Problem]:
    """What the campaign's vendor cannot take (see ``FieldMap.problems``)."""
    if campaign.vendor_account_id is None:
        return []
    field_map = field_map_for(campaign.vendor_account.kind)
    if field_map is None:
        return []
    return field_map.problems(campaign_spec(campaign=campaign), before_sync=before_sync)


def campaign_field_map_check(*, campaign: Campaign, before_sync: bool) -> None:
    """Raise the problems as one ApplicationError, on the first one's campaign field."""
    problems = campaign_field_map_problems(campaign=campaign, before_sync=before_sync)
    if problems:
        raise ApplicationError(
            " ".join(problem.message for problem in problems),
            {
                "field": problems[0].source,
                "problems": [{"field": p.source, "message": p.message} for p in problems],
            },
        )
