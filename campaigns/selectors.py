"""Reads: campaign lists for a user, the actions a campaign allows, the spec the vendor
adapters take, and the home page tile."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.access import team_scope
from campaigns.models import Agent, Campaign, CampaignStatus
from vendors.adapters.types import AgentRef, CampaignSpec, Capability

# Shown wherever the sync issue's numbers will go, until it lands: never a made-up number.
NOT_SYNCED_YET = "not synced yet"

CAMPAIGN_SORTS = {
    "name": "name",
    "-name": "-name",
    "status": "status",
    "vendor": "vendor_account__name",
    "-updated": "-updated_at",
    "updated": "updated_at",
    "-created": "-created_at",
}


def campaign_queryset(*, user) -> QuerySet[Campaign]:
    """Campaigns ``user`` may see: all for supervisors, their team's for everyone else."""
    return team_scope(Campaign.objects.select_related("vendor_account", "team"), user)


def campaign_list(
    *, user, search: str = "", status: str = "", vendor: str = "", sort: str = "-updated"
) -> QuerySet[Campaign]:
    campaigns = campaign_queryset(user=user)
    if search:
        campaigns = campaigns.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if status:
        campaigns = campaigns.filter(status=status)
    if vendor == "none":
        campaigns = campaigns.filter(vendor_account__isnull=True)
    elif vendor:
        campaigns = campaigns.filter(vendor_account__kind=vendor)
    return campaigns.order_by(CAMPAIGN_SORTS.get(sort, "-updated_at"), "-id")


def agent_queryset(*, user) -> QuerySet[Agent]:
    return team_scope(Agent.objects.select_related("team"), user)


# --- actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignAction:
    name: str
    label: str
    to_status: str | None  # None: not a status change (clone)
    remote: bool  # the dialer must carry it out
    permission: str


ACTIONS = (
    CampaignAction("start", "Start", CampaignStatus.ACTIVE, True, "campaigns.change_campaign"),
    CampaignAction("pause", "Pause", CampaignStatus.PAUSED, True, "campaigns.change_campaign"),
    CampaignAction("stop", "Stop", CampaignStatus.STOPPED, True, "campaigns.change_campaign"),
    CampaignAction("clone", "Clone", None, False, "campaigns.add_campaign"),
    CampaignAction(
        "archive", "Archive", CampaignStatus.ARCHIVED, False, "campaigns.change_campaign"
    ),
)
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


@dataclass(frozen=True)
class ActionState:
    action: CampaignAction
    allowed: bool
    reason: str = ""


def action_for_status(campaign: Campaign, to_status: str) -> CampaignAction | None:
    if not campaign.can_transition_to(to_status):
        return None
    return next(action for action in ACTIONS if action.to_status == to_status)


def vendor_remote_support(kind: str, capability: Capability) -> tuple[bool, str]:
    """Whether the vendor's adapter can do ``capability``, and why not in words."""
    from vendors.adapters.registry import UnknownVendor, adapter_class
    from vendors.models import VendorKind

    label = VendorKind(kind).label if kind in VendorKind.values else kind
    try:
        adapter = adapter_class(kind)
    except (ImportError, UnknownVendor):
        return False, f"Not available yet: the {label} connection is not installed in this console."
    if adapter.supports(capability):
        return True, ""
    reason = adapter.unsupported_reasons.get(capability)
    return False, reason or f"{label} has no documented call for this."


def campaign_action_state(*, campaign: Campaign, action: CampaignAction) -> ActionState:
    if action.to_status is not None and not campaign.can_transition_to(action.to_status):
        return ActionState(
            action,
            False,
            f"Not possible while the campaign is {campaign.get_status_display().lower()}.",
        )
    if action.remote:
        if campaign.vendor_account is None:
            return ActionState(action, False, "Choose a vendor account first.")
        supported, reason = vendor_remote_support(
            campaign.vendor_account.kind, Capability.CAMPAIGN_START_STOP
        )
        if not supported:
            return ActionState(action, False, reason)
    return ActionState(action, True)


def campaign_actions(*, campaign: Campaign, user=None) -> list[ActionState]:
    """Every action with whether it is allowed now and, if not, why."""
    states = []
    for action in ACTIONS:
        if user is not None and not user.has_perm(action.permission):
            states.append(ActionState(action, False, "You may not change campaigns."))
            continue
        states.append(campaign_action_state(campaign=campaign, action=action))
    return states


# --- the adapters' view of a campaign ----------------------------------------------------


def campaign_spec(*, campaign: Campaign) -> CampaignSpec:
    """The campaign as the vendor adapters take it, agents mapped to their id on the
    campaign's vendor account ("" when they have none there)."""
    remote_ids = {}
    if campaign.vendor_account_id:
        remote_ids = dict(
            campaign.agents.filter(
                remote_ids__vendor_account=campaign.vendor_account_id
            ).values_list("pk", "remote_ids__remote_id")
        )
    agents = tuple(
        AgentRef(
            name=agent.name,
            email=agent.email,
            extension=agent.extension,
            remote_id=remote_ids.get(agent.pk, ""),
        )
        for agent in campaign.agents.filter(active=True).order_by("name")
    )
    return CampaignSpec(
        name=campaign.name,
        description=campaign.description,
        dial_method=campaign.dial_method,
        caller_id=campaign.caller_id,
        retry_count=campaign.retry_count,
        retry_interval_minutes=campaign.retry_interval_minutes,
        wrap_up_seconds=campaign.wrap_up_seconds,
        ring_timeout_seconds=campaign.ring_timeout_seconds,
        agents=agents,
        settings=dict(campaign.vendor_settings),
    )


# --- home page -----------------------------------------------------------------------


def campaign_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("campaigns.view_campaign"):
        return []
    campaigns = campaign_queryset(user=user)
    url = reverse("campaigns:list")
    return [
        Tile("Campaigns", campaigns.exclude(status=CampaignStatus.ARCHIVED).count(), url),
        Tile(
            "Active campaigns",
            campaigns.filter(status=CampaignStatus.ACTIVE).count(),
            f"{url}?status=active",
        ),
    ]
