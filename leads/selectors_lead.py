"""One lead as a supervisor looks it up: its list and the campaigns dialling it, its
state on each campaign's dialer, its outcomes, its do-not-call listings, and the history
the console's rows record. Every part is limited to what the user may see: the lead
through ``leads_visible``, campaigns through ``campaign_queryset``, listings through
``dnc_entries_visible``. A fixed number of queries, whatever the lead holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from audit.context import Door
from audit.models import LeadChange
from campaigns.models import (
    Campaign,
    CampaignLeadList,
    CampaignStatus,
    DispositionCode,
    LeadDisposition,
)
from campaigns.selectors import CampaignLeadRow, campaign_queryset, vendor_remote_support
from leads.models import DncScope, Lead, LeadStatus
from leads.selectors import (
    DncRow,
    dnc_entries_visible,
    dnc_lead_lists_manageable,
    dnc_row,
    leads_visible,
)
from results.lead_report import dialer_report, lead_results
from sync.models import LeadSync, SyncJob
from vendors.adapters.types import Capability

OUTCOMES_SHOWN = 100
SYNC_JOBS_SHOWN = 50
CHANGES_SHOWN = 100
# updated_at within this of created_at is the row's own creation, not a later change.
_SAME_MOMENT = timedelta(seconds=2)


def lead_get(*, user, pk: int) -> Lead:
    """A lead ``user`` may see, with its list and import (404 otherwise)."""
    return get_object_or_404(
        leads_visible(user=user).select_related(
            "lead_list", "lead_list__team", "import_job", "import_job__created_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class LeadCampaign:
    """The lead in one campaign that dials its list."""

    campaign: Campaign
    list_active: bool  # the list is switched on in the campaign
    row: CampaignLeadRow  # its sync row on the campaign's dialer and latest outcome
    codes: list[DispositionCode]
    terminate_supported: bool
    terminate_reason: str

    @property
    def no_calls_because(self) -> str:
        """Why no outcome can be recorded in the campaign at all (the disposition
        service refuses draft and archived campaigns in these words)."""
        campaign = self.campaign
        if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.ARCHIVED):
            return gettext(
                "The campaign is %(value)s: it has no calls to record an outcome for."
            ) % {"value": campaign.get_status_display().lower()}
        return ""

    @property
    def remote(self):
        """The campaign's own sync state (``sync.CampaignRemote``), None when never synced."""
        return getattr(self.campaign, "sync_remote", None)


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    kind: str  # created, changed, undone, outcome, dnc, pushed, sync_job
    text: str
    url: str = ""


@dataclass(frozen=True)
class LeadDetail:
    lead: Lead
    campaigns: list[LeadCampaign]
    outcomes: list[LeadDisposition]  # newest first, up to OUTCOMES_SHOWN
    sync_jobs: list[SyncJob]  # jobs about this lead alone, newest first
    dnc: list[DncRow]  # listings of its number that apply to it
    history: list[HistoryEvent]  # newest first

    @property
    def dnc_active(self) -> list[DncRow]:
        return [row for row in self.dnc if not row.expired]


def _campaigns(lead: Lead, user) -> list[CampaignLeadList]:
    return list(
        CampaignLeadList.objects.filter(
            lead_list_id=lead.lead_list_id, campaign__in=campaign_queryset(user=user)
        )
        .select_related("campaign__vendor_account", "campaign__sync_remote")
        .order_by("campaign__name", "campaign_id")
    )


def _outcomes(lead: Lead, campaign_ids: list[int]) -> list[LeadDisposition]:
    return list(
        LeadDisposition.objects.filter(lead=lead, campaign_id__in=campaign_ids)
        .select_related("recorded_by", "campaign")
        .order_by("-recorded_at", "-id")[:OUTCOMES_SHOWN]
    )


def _codes(links: list[CampaignLeadList]) -> dict[int, list[DispositionCode]]:
    list_ids = {link.campaign.disposition_list_id for link in links} - {None}
    codes: dict[int, list[DispositionCode]] = {}
    for code in DispositionCode.objects.filter(disposition_list_id__in=list_ids):
        codes.setdefault(code.disposition_list_id, []).append(code)
    return codes


def _terminate_support(campaign: Campaign) -> tuple[bool, str]:
    if campaign.vendor_account is None:
        return False, gettext("The campaign has no vendor account.")
    return vendor_remote_support(campaign.vendor_account.kind, Capability.LEAD_TERMINATE)


def _lead_campaigns(lead, links, syncs, outcomes, results) -> list[LeadCampaign]:
    latest: dict[int, LeadDisposition] = {}
    for outcome in outcomes:  # newest first: the first seen per campaign is its latest
        latest.setdefault(outcome.campaign_id, outcome)
    codes = _codes(links)
    rows = []
    for link in links:
        campaign = link.campaign
        supported, reason = _terminate_support(campaign)
        rows.append(
            LeadCampaign(
                campaign=campaign,
                list_active=link.active,
                row=CampaignLeadRow(
                    lead,
                    syncs.get(campaign.pk),
                    latest.get(campaign.pk),
                    dialer_report(
                        result=results.get((campaign.pk, lead.pk)),
                        vendor_kind=campaign.vendor_account.kind
                        if campaign.vendor_account
                        else None,
                    ),
                ),
                codes=codes.get(campaign.disposition_list_id, []),
                terminate_supported=supported,
                terminate_reason=reason,
            )
        )
    return rows


def _dnc(lead: Lead, user, links: list[CampaignLeadList], now: datetime) -> list[DncRow]:
    """The listings of the lead's number that apply to it: everywhere, on its list, or for
    a campaign dialling its list."""
    campaign_ids = [link.campaign_id for link in links]
    applies = (
        Q(scope=DncScope.EVERYWHERE)
        | Q(scope=DncScope.LIST, lead_list_id=lead.lead_list_id)
        | Q(scope=DncScope.CAMPAIGN, campaign_id__in=campaign_ids)
    )
    entries = dnc_entries_visible(user=user).filter(applies, phone=lead.phone).order_by("-id")
    names = {link.campaign_id: link.campaign.name for link in links}
    return [dnc_row(entry=entry, user=user, now=now, names=names) for entry in entries]


def _sync_jobs(lead: Lead, campaign_ids: list[int]) -> list[SyncJob]:
    # By campaign first: the campaign index narrows the jobs before the lead id is read.
    return list(
        SyncJob.objects.filter(campaign_id__in=campaign_ids, lead_id=lead.pk)
        .select_related("account", "campaign")
        .order_by("-created_at", "-id")[:SYNC_JOBS_SHOWN]
    )


def lead_detail(*, lead: Lead, user) -> LeadDetail:
    """Everything the lead page and the lead endpoint show, in seven queries after the
    lead."""
    now = timezone.now()
    links = _campaigns(lead, user)
    campaign_ids = [link.campaign_id for link in links]
    syncs = {
        sync.campaign_id: sync
        for sync in LeadSync.objects.filter(lead=lead, campaign_id__in=campaign_ids).select_related(
            "campaign"
        )
    }
    outcomes = _outcomes(lead, campaign_ids)
    results = lead_results(campaign_ids=campaign_ids, lead_ids=[lead.pk])
    campaigns = _lead_campaigns(lead, links, syncs, outcomes, results)
    dnc = _dnc(lead, user, links, now)
    jobs = _sync_jobs(lead, campaign_ids)
    history = lead_history(
        lead=lead,
        outcomes=outcomes,
        dnc=dnc,
        syncs=syncs,
        jobs=jobs,
        changes=lead_changes(lead_id=lead.pk),
    )
    return LeadDetail(lead, campaigns, outcomes, jobs, dnc, history)


def lead_history(*, lead: Lead, outcomes, dnc, syncs, jobs, changes=()) -> list[HistoryEvent]:
    """What the console's rows say happened to the lead, newest first: its creation, every
    recorded change (a re-import's update, a bulk action, a do-not-call listing, an undo:
    ``audit.LeadChange``, who, when, through which door, old and new values), outcomes,
    listings, pushes and sync jobs."""
    events = _import_events(lead, changes)
    events += [_change_event(change) for change in changes]
    events += [_outcome_event(outcome) for outcome in outcomes]
    for row in dnc:
        events += _dnc_events(row)
    events += [_push_event(sync) for sync in syncs.values() if sync.pushed_at]
    events += [_job_event(job) for job in jobs]
    return sorted(events, key=lambda event: event.at, reverse=True)


def _import_events(lead: Lead, changes) -> list[HistoryEvent]:
    job = lead.import_job
    if job is not None:
        values = {"file": job.original_name, "user": job.created_by, "row": lead.source_row}
        if job.created_by and lead.source_row:
            text = gettext("Created by the import of “%(file)s” by %(user)s, row %(row)s.")
        elif job.created_by:
            text = gettext("Created by the import of “%(file)s” by %(user)s.")
        elif lead.source_row:
            text = gettext("Created by the import of “%(file)s”, row %(row)s.")
        else:
            text = gettext("Created by the import of “%(file)s”.")
        text = text % values
        url = reverse("leads:import-detail", args=[job.pk])
    else:
        text, url = gettext("Created; no import job is recorded for it."), ""
    events = [HistoryEvent(lead.created_at, "created", text, url)]
    recorded = any(abs(change.at - lead.updated_at) <= _SAME_MOMENT for change in changes)
    if lead.updated_at - lead.created_at > _SAME_MOMENT and not recorded:
        events.append(
            HistoryEvent(
                lead.updated_at,
                "changed",
                gettext(
                    "Last changed (now %(status)s); no record says who changed what (a "
                    "change before the history was kept)."
                )
                % {"status": lead.get_status_display().lower()},
            )
        )
    if job is not None and job.undone_at:
        events.append(HistoryEvent(job.undone_at, "undone", gettext("Its import was undone."), url))
    return events


def lead_changes(*, lead_id: int, limit: int = CHANGES_SHOWN) -> list[LeadChange]:
    return list(
        LeadChange.objects.filter(lead_id=lead_id)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def _change_event(change: LeadChange) -> HistoryEvent:
    if change.door in Door.values:
        door = str(Door(change.door).label).lower()
    else:
        door = gettext("unknown door")
    values = "; ".join(
        f"{_FIELD_LABELS.get(name, name)}: {_shown(old)} → {_shown(new)}"
        for name, (old, new) in change.changes.items()
    )
    if change.actor_id:
        text = gettext("%(kind)s by %(user)s (%(door)s)")
    else:
        text = gettext("%(kind)s (%(door)s)")
    text = text % {"kind": change.get_kind_display(), "user": change.actor, "door": door}
    text += f": {values}." if values else "."
    url = (
        reverse("leads:import-detail", args=[change.import_job_id]) if change.import_job_id else ""
    )
    return HistoryEvent(change.at, "change", text, url)


_FIELD_LABELS = {
    "lead_list_id": gettext_lazy("list id"),
    "custom_fields": gettext_lazy("custom fields"),
}


def _shown(value) -> str:
    if value in (None, "", [], {}):
        return gettext("(empty)")
    return str(value)


def _outcome_event(outcome: LeadDisposition) -> HistoryEvent:
    values = {
        "code": outcome.code,
        "label": outcome.label,
        "user": outcome.recorded_by,
        "campaign": outcome.campaign,
    }
    if outcome.recorded_by:
        text = gettext("Outcome %(code)s – %(label)s recorded by %(user)s in “%(campaign)s”.")
    else:
        text = gettext("Outcome %(code)s – %(label)s recorded in “%(campaign)s”.")
    text = text % values
    return HistoryEvent(outcome.recorded_at, "outcome", text)


def _dnc_events(row: DncRow) -> list[HistoryEvent]:
    entry = row.entry
    if row.target_name:
        where = gettext("for %(target)s") % {"target": row.target_name}
    else:
        where = gettext("everywhere")
    if entry.created_by:
        text = gettext("Its number was put on the do-not-call list %(where)s by %(user)s.")
    else:
        text = gettext("Its number was put on the do-not-call list %(where)s.")
    text = text % {"where": where, "user": entry.created_by}
    if entry.reason:
        text += " " + gettext("Reason: %(reason)s.") % {"reason": entry.reason}
    events = [
        HistoryEvent(
            entry.created_at,
            "dnc",
            text,
            reverse("dnc:list") + "?" + urlencode({"phone": entry.phone}),
        )
    ]
    if row.expired:
        events.append(
            HistoryEvent(
                entry.expires_at,
                "dnc",
                gettext("The listing %(where)s expired.") % {"where": where},
            )
        )
    return events


def _push_event(sync: LeadSync) -> HistoryEvent:
    values = {
        "campaign": sync.campaign,
        "id": sync.remote_id,
        "state": sync.get_state_display(),
    }
    if sync.remote_id:
        text = gettext(
            "Pushed to the dialer of “%(campaign)s” (the dialer's id %(id)s); now %(state)s."
        )
    else:
        text = gettext("Pushed to the dialer of “%(campaign)s”; now %(state)s.")
    text = text % values
    return HistoryEvent(sync.pushed_at, "pushed", text)


def _job_event(job: SyncJob) -> HistoryEvent:
    error = f" {job.last_error}" if job.last_error else ""
    text = gettext("Sync job #%(pk)s: %(operation)s on “%(campaign)s” (%(state)s).") % {
        "pk": job.pk,
        "operation": job.get_operation_display(),
        "campaign": job.campaign,
        "state": job.get_state_display().lower(),
    }
    text += error
    url = reverse("sync:job-list") + f"?campaign={job.campaign_id}"
    return HistoryEvent(job.created_at, "sync_job", text, url)


@dataclass(frozen=True)
class LeadAction:
    """Something ``user`` may do to the lead now, and where (the page's form posts to
    ``html_url``; ``api_url`` is "" where the API has no such call)."""

    name: str  # record_outcome, stop_dialling, remove, dnc_add
    label: str
    campaign_id: int | None
    html_url: str
    api_url: str


def lead_actions(*, detail: LeadDetail, user) -> list[LeadAction]:
    """The actions the lead page offers ``user``, by the same rules as its forms."""
    lead, actions = detail.lead, []
    for item in detail.campaigns:
        campaign, row = item.campaign, item.row
        dialled = not (row.not_dialled_because or row.done or item.no_calls_because)
        if dialled and item.codes and user.has_perm("campaigns.add_leaddisposition"):
            actions.append(
                LeadAction(
                    "record_outcome",
                    gettext("Record an outcome in “%(name)s”") % {"name": campaign.name},
                    campaign.pk,
                    reverse("campaigns:lead-disposition", args=[campaign.pk, lead.pk]),
                    reverse("api-campaign-lead-disposition", args=[campaign.pk, lead.pk]),
                )
            )
        if item.terminate_supported and row.on_dialer and user.has_perm("sync.change_syncjob"):
            actions.append(
                LeadAction(
                    "stop_dialling",
                    gettext("Stop dialling it in “%(name)s”") % {"name": campaign.name},
                    campaign.pk,
                    reverse("sync:lead-terminate", args=[campaign.pk, lead.pk]),
                    "",
                )
            )
    if lead_may_remove(lead=lead, user=user):
        actions.append(
            LeadAction(
                "remove",
                gettext("Remove it from the list “%(name)s”") % {"name": lead.lead_list.name},
                None,
                reverse("leads:lead-remove", args=[lead.pk]),
                reverse("api-lead-list-leads-actions", args=[lead.lead_list_id]),
            )
        )
    if lead_may_list_dnc(lead=lead, user=user):
        actions.append(
            LeadAction(
                "dnc_add",
                gettext("Put its number on the do-not-call list"),
                None,
                reverse("dnc:add"),
                reverse("api-dnc-entries"),
            )
        )
    return actions


def lead_may_remove(*, lead: Lead, user) -> bool:
    """Whether ``user`` may remove the lead (the bulk delete with its one id): a role that
    deletes leads, and a lead not already waiting to leave a dialer."""
    return user.has_perm("leads.delete_lead") and lead.status != LeadStatus.REMOVED


def lead_remove_effect(*, lead: Lead) -> str:
    """What removing the lead does, by the bulk delete's rule for this one lead."""
    from sync.selectors import lead_on_a_dialer

    if Lead.objects.filter(pk=lead.pk).filter(lead_on_a_dialer()).exists():
        return gettext(
            "A dialer holds it: it stays as Removed until its campaign's sync job has taken "
            "it off the dialer, then it is gone."
        )
    return gettext("No dialer holds it: it is deleted for good, with its outcomes and history.")


def lead_may_list_dnc(*, lead: Lead, user) -> bool:
    """Whether the DNC add page would list the number on the lead's list for ``user``."""
    if not user.has_perms(("leads.view_dncentry", "leads.add_dncentry")):
        return False
    return dnc_lead_lists_manageable(user=user).filter(pk=lead.lead_list_id).exists()
