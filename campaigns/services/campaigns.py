"""Writes to campaigns: create, update, lead lists, status changes, clone, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import (
    Agent,
    Campaign,
    CampaignLeadList,
    CampaignStatus,
)
from campaigns.spec import campaign_field_map_check, field_map_for
from campaigns.vendor_settings import vendor_settings_errors
from dialer_console.errors import ApplicationError, ConfirmationRequired
from sync.services.hooks import (
    sync_on_campaign_saved,
    sync_on_campaign_status_changed,
    sync_on_lead_list_attached,
)

# Campaign attributes the create/update services take from ``fields``.
CAMPAIGN_FIELDS = (
    "name",
    "description",
    "team",
    "vendor_account",
    "dial_method",
    "caller_id",
    "disposition_list",
    "pause_code_list",
    "calling_window",
    "retry_count",
    "retry_interval_minutes",
    "wrap_up_seconds",
    "ring_timeout_seconds",
)


@dataclass(frozen=True)
class LeadListLink:
    lead_list: Any  # leads.LeadList
    active: bool = True


def _apply_fields(campaign: Campaign, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(campaign, name, value)


def _vendor_only(campaign: Campaign, vendor_settings: dict[str, Any]) -> dict[str, Any]:
    """The settings to store: the vendor-only ones (the field map's fields are the
    campaign's own and never stored); none without a vendor account."""
    if not campaign.vendor_account_id:
        return {}
    field_map = field_map_for(campaign.vendor_account.kind)
    return field_map.strip(vendor_settings) if field_map is not None else dict(vendor_settings)


def _check_editable(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise ApplicationError(_("An archived campaign cannot be changed. Clone it instead."))


def _check_vendor_change(campaign: Campaign, fields: dict[str, Any]) -> None:
    new_account = fields.get("vendor_account", campaign.vendor_account)
    if campaign.status != CampaignStatus.DRAFT and new_account != campaign.vendor_account:
        raise ApplicationError(
            _("The vendor account can only be changed while the campaign is a draft."),
            {"field": "vendor_account"},
        )
    if campaign.status != CampaignStatus.DRAFT and new_account is None:
        raise ApplicationError(_("Only a draft may have no vendor account."))


def _check_lead_list_teams(campaign: Campaign, lead_lists) -> None:
    """A campaign of a team may only use that team's lead lists: its team reads the leads
    of every list it dials (the campaign's leads page and API), so another team's list, or
    a list of no team, would show them leads their own lists hide. A campaign without a
    team is seen by supervisors only, and may use any list: sharing lists across teams is
    a supervisor's feature."""
    if campaign.team_id is None:
        return
    for lead_list in lead_lists:
        if lead_list.team_id != campaign.team_id:
            owner = f"team {lead_list.team}" if lead_list.team_id else "no team"
            raise ApplicationError(
                _(
                    "The lead list “%(lead_list)s” belongs to %(owner)s: a campaign of team "
                    "%(team)s may only use lead lists of its own team."
                )
                % {"lead_list": lead_list, "owner": owner, "team": campaign.team},
                {"field": "lead_lists", "lead_list": lead_list.pk},
            )


@transaction.atomic
def campaign_create(
    *,
    fields: dict[str, Any],
    vendor_settings: dict[str, Any],
    agents: list[Agent] | None = None,
    lead_lists: list[LeadListLink] | None = None,
    acting_user,
) -> Campaign:
    """Create a draft. ``vendor_settings`` is the vendor form's ``settings()``."""
    campaign = Campaign(created_by=acting_user, updated_by=acting_user)
    _apply_fields(campaign, fields)
    campaign.vendor_settings = _vendor_only(campaign, vendor_settings)
    campaign.full_clean(exclude=["lead_lists", "agents"])
    campaign.save()
    campaign.agents.set(agents or [])
    campaign_field_map_check(campaign=campaign, before_sync=False)
    _check_lead_list_teams(campaign, [link.lead_list for link in lead_lists or []])
    _lead_lists_set(campaign, lead_lists or [])
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    fields: dict[str, Any],
    vendor_settings: dict[str, Any] | None = None,
    agents: list[Agent] | None = None,
    lead_lists: list[LeadListLink] | None = None,
    acting_user,
) -> Campaign:
    """Change a campaign. Arguments left as None keep their current value."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_editable(campaign)
    _check_vendor_change(campaign, fields)
    account_changed = (
        fields.get("vendor_account", campaign.vendor_account) != campaign.vendor_account
    )
    _apply_fields(campaign, fields)
    if vendor_settings is not None:
        campaign.vendor_settings = _vendor_only(campaign, vendor_settings)
    elif account_changed:
        campaign.vendor_settings = {}
    campaign.updated_by = acting_user
    campaign.full_clean(exclude=["lead_lists", "agents"])
    # A new team must hold the lists the campaign keeps, as well as the ones it gets.
    if lead_lists is None:
        kept = [link.lead_list for link in campaign.list_links.select_related("lead_list__team")]
    else:
        kept = [link.lead_list for link in lead_lists]
    _check_lead_list_teams(campaign, kept)
    campaign.save()
    if agents is not None:
        campaign.agents.set(agents)
    campaign_field_map_check(campaign=campaign, before_sync=False)
    if lead_lists is not None:
        _lead_lists_set(campaign, lead_lists)
    sync_on_campaign_saved(campaign=campaign)
    return campaign


def _lead_lists_set(campaign: Campaign, links: list[LeadListLink]) -> None:
    seen = set()
    for link in links:
        if link.lead_list.pk in seen:
            raise ApplicationError(
                _("The lead list “%(lead_list)s” is in the campaign twice.")
                % {"lead_list": link.lead_list},
                {"field": "lead_lists"},
            )
        seen.add(link.lead_list.pk)
    campaign.list_links.exclude(lead_list__in=seen).delete()
    for position, link in enumerate(links):
        CampaignLeadList.objects.update_or_create(
            campaign=campaign,
            lead_list=link.lead_list,
            defaults={"position": position, "active": link.active},
        )


@transaction.atomic
def campaign_lead_list_attach(
    *, campaign: Campaign, lead_list, active: bool = True, acting_user
) -> CampaignLeadList:
    """Add a lead list at the end of the campaign's order (or switch it on/off)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_editable(campaign)
    _check_lead_list_teams(campaign, [lead_list])
    last = campaign.list_links.order_by("-position").first()
    link, created = CampaignLeadList.objects.get_or_create(
        campaign=campaign,
        lead_list=lead_list,
        defaults={"position": (last.position + 1) if last else 0, "active": active},
    )
    if not created and link.active != active:
        link.active = active
        link.save(update_fields=["active"])
    Campaign.objects.filter(pk=campaign.pk).update(updated_by=acting_user)
    sync_on_lead_list_attached(campaign=campaign, lead_list=lead_list)
    return link


@transaction.atomic
def campaign_lead_list_detach(*, campaign: Campaign, lead_list, acting_user) -> None:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_editable(campaign)
    campaign.list_links.filter(lead_list=lead_list).delete()
    Campaign.objects.filter(pk=campaign.pk).update(updated_by=acting_user)


def _check_ready_to_run(campaign: Campaign) -> None:
    if campaign.vendor_account is None:
        raise ApplicationError(_("Choose a vendor account before starting the campaign."))
    errors = vendor_settings_errors(
        account=campaign.vendor_account, settings=campaign.vendor_settings
    )
    if errors:
        raise ApplicationError(
            _("The %(value)s settings are incomplete: edit the campaign and fix them first.")
            % {"value": campaign.vendor_account.get_kind_display()},
            {"vendor_settings": errors},
        )
    campaign_field_map_check(campaign=campaign, before_sync=True)


def _ask_if_nothing_soon(campaign: Campaign) -> None:
    from sync.start_preview import campaign_start_preview

    preview = campaign_start_preview(campaign=campaign)
    if preview.nothing_soon:
        raise ConfirmationRequired(
            preview.nothing_soon,
            {
                "code": "nothing_callable_soon",
                "confirm": _("Send confirm=true to start anyway."),
            },
        )


@transaction.atomic
def campaign_transition(
    *, campaign: Campaign, to_status: str, acting_user, ask_if_nothing_soon: bool = False
) -> Campaign:
    """Move a campaign to ``to_status`` if that is a legal change (see
    ``selectors.campaign_actions``). The sync job then starts or stops the campaign on
    the dialer where the vendor has that call; elsewhere only the console's status
    changes, and the job records that there was nothing to send.

    ``ask_if_nothing_soon`` (the page and the API, until the user confirms): starting a
    campaign none of whose leads its calling window lets the dialer call within 24 hours
    raises ``ConfirmationRequired`` with the reason and the start preview."""
    from campaigns.selectors import action_for_status, campaign_action_state

    # Lock the campaign row only: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the join to the vendor account.
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("vendor_account")
        .get(pk=campaign.pk)
    )
    action = action_for_status(campaign, to_status)
    if action is None:
        raise ApplicationError(
            _("A campaign that is %(status)s cannot become %(to_status)s.")
            % {
                "status": campaign.get_status_display().lower(),
                "to_status": CampaignStatus(to_status).label.lower(),
            }
            if to_status in CampaignStatus.values
            else _("Unknown status “%(status)s”.") % {"status": to_status}
        )
    state = campaign_action_state(campaign=campaign, action=action)
    if not state.allowed:
        raise ApplicationError(state.reason)
    if to_status == CampaignStatus.ACTIVE:
        _check_ready_to_run(campaign)
        if ask_if_nothing_soon:
            _ask_if_nothing_soon(campaign)
    campaign.status = to_status
    campaign.updated_by = acting_user
    campaign.save(update_fields=["status", "updated_by", "updated_at"])
    sync_on_campaign_status_changed(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_clone(*, campaign: Campaign, acting_user, name: str = "") -> Campaign:
    """A new draft with the same settings, agents and lead lists."""
    source = Campaign.objects.get(pk=campaign.pk)
    fields = {name_: getattr(source, name_) for name_ in CAMPAIGN_FIELDS}
    fields["name"] = (name or _("Copy of %(name)s") % {"name": source.name})[:200]
    links = [LeadListLink(link.lead_list, link.active) for link in source.list_links.all()]
    clone = campaign_create(
        fields=fields,
        vendor_settings=dict(source.vendor_settings),
        agents=list(source.agents.all()),
        lead_lists=links,
        acting_user=acting_user,
    )
    from results.recycling.rules import rule_rows, rules_replace

    rules_replace(rows=rule_rows(campaign=source), campaign=clone)  # its recycling rules too
    return clone


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    """Only a draft is deleted; a campaign that ran is archived, to keep its history."""
    if campaign.status != CampaignStatus.DRAFT:
        raise ApplicationError(_("Only a draft can be deleted; archive this campaign instead."))
    campaign.delete()
