"""Reads of the sync app: the jobs list, a campaign's sync panel, the campaign list's
badges, and the pending-calls chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from campaigns.models import Campaign
from campaigns.selectors import campaign_queryset
from dialer_console.keyset import Column, Sorting
from leads.models import LeadList
from leads.selectors import lead_lists_counts
from sync.models import (
    SENT_NOT_CONFIRMED,
    CampaignRemote,
    CampaignSyncState,
    JobState,
    LeadSync,
    LeadSyncState,
    Operation,
    PendingSnapshot,
    SyncJob,
)
from sync.push_counts import push_counts_get

BADGE_CLASSES = {
    CampaignSyncState.DRAFT: "",
    CampaignSyncState.SYNCING: "badge-info",
    CampaignSyncState.IN_SYNC: "badge-ok",
    CampaignSyncState.OUT_OF_SYNC: "badge-warn",
    CampaignSyncState.FAILED: "badge-error",
}
JOB_BADGE_CLASSES = {
    JobState.PENDING: "badge-info",
    JobState.RUNNING: "badge-info",
    JobState.DONE: "badge-ok",
    JobState.FAILED: "badge-error",
    JobState.HELD: "badge-warn",
}


def lead_on_a_dialer() -> Exists:
    """For a Lead queryset: true when some dialer holds the lead (PUSHED) or may hold it
    (SENDING: a push whose answer is not in yet)."""
    return Exists(
        LeadSync.objects.filter(
            lead=OuterRef("pk"), state__in=(LeadSyncState.SENDING, LeadSyncState.PUSHED)
        )
    )


def sync_jobs_visible(*, user) -> QuerySet[SyncJob]:
    """Jobs of the campaigns ``user`` may see."""
    return SyncJob.objects.filter(campaign__in=campaign_queryset(user=user)).select_related(
        "account", "campaign"
    )


def sync_job_list(
    *,
    user,
    state: str = "",
    account: str = "",
    operation: str = "",
    attention: bool = False,
    campaign: str = "",
    routine: bool = False,
) -> QuerySet[SyncJob]:
    """Most recently changed first. Routine pending-call refreshes (many a minute, by beat)
    are left out unless ``routine`` is set or that operation is asked for."""
    jobs = sync_jobs_visible(user=user)
    if not routine and operation != Operation.PENDING_REFRESH:
        jobs = jobs.exclude(operation=Operation.PENDING_REFRESH)
    if campaign.isdigit():
        jobs = jobs.filter(campaign_id=int(campaign))
    if state in JobState.values:
        jobs = jobs.filter(state=state)
    if account.isdigit():
        jobs = jobs.filter(account_id=int(account))
    if operation in Operation.values:
        jobs = jobs.filter(operation=operation)
    if attention:
        jobs = jobs.filter(needs_attention=True)
    return jobs.order_by("-updated_at", "-id")


# The jobs page's orders, each served by an index with the id (SyncJob.Meta).
SYNC_JOB_SORTING = Sorting(
    columns=(
        Column("changed", gettext_lazy("Changed"), "updated_at", descending_first=True),
        Column("job", gettext_lazy("Job"), "id", descending_first=True),
    ),
    default="-changed",
)
# How far the jobs page counts each state: beyond it the page says "1,000+", so a
# request never counts hundreds of thousands of jobs.
STATE_COUNT_CAP = 1000


@dataclass(frozen=True)
class CappedCount:
    """A count read with ``LIMIT cap + 1``: exact up to ``cap``, "more than" beyond."""

    value: int
    cap: int

    @property
    def capped(self) -> bool:
        return self.value > self.cap

    def __str__(self) -> str:
        return f"{self.cap:,}+" if self.capped else f"{self.value:,}"


def sync_job_state_counts(
    *, jobs: QuerySet[SyncJob], cap: int = STATE_COUNT_CAP
) -> dict[str, CappedCount]:
    """Jobs per state among ``jobs`` (the page's other filters), each counted no further
    than ``cap`` + 1 rows: one bounded query a state, whatever the table holds."""
    jobs = jobs.order_by()
    return {
        state: CappedCount(jobs.filter(state=state)[: cap + 1].count(), cap)
        for state in JobState.values
    }


def sync_job_counts(*, user, routine: bool = True) -> dict[str, int]:
    """Jobs per state; without the routine pending-call refreshes when ``routine`` is
    false, as the jobs list shows them by default."""
    jobs = sync_jobs_visible(user=user)
    if not routine:
        jobs = jobs.exclude(operation=Operation.PENDING_REFRESH)
    rows = jobs.values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


# --- a campaign's panel ------------------------------------------------------------------


UNCONFIRMED_COUNT_CAP = 10_000


@dataclass(frozen=True)
class Breakdown:
    """The console's own view of the campaign's leads."""

    not_pushed: int
    pushed: int
    failed: int
    dnc: int
    invalid: int
    removed: int
    # Of ``pushed``: sent, but the dialer has not confirmed them yet; counted up to
    # UNCONFIRMED_COUNT_CAP + 1 (see ``unconfirmed_label``).
    unconfirmed: int = 0

    @property
    def unconfirmed_label(self) -> str:
        if self.unconfirmed > UNCONFIRMED_COUNT_CAP:
            return f"{UNCONFIRMED_COUNT_CAP:,}+"
        return f"{self.unconfirmed:,}"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    pending: int
    at: datetime


@dataclass(frozen=True)
class Chart:
    points: tuple[ChartPoint, ...]
    polyline: str
    max_pending: int
    width: int = 300
    height: int = 80


@dataclass(frozen=True)
class CampaignPanel:
    campaign: Campaign
    remote: CampaignRemote | None
    state: str
    state_label: str
    badge_class: str
    breakdown: Breakdown
    open_jobs: int
    failed_job: SyncJob | None
    held_job: SyncJob | None
    chart: Chart | None
    pending_age_seconds: int | None
    busy: bool
    notes: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)


def _leads(count: int) -> str:
    return f"{count:,} lead" if count == 1 else f"{count:,} leads"


def campaign_drift_words(*, remote: CampaignRemote | None) -> list[str]:
    """The last reconciliation's drift in words, one phrase per kind (empty: none found,
    or never checked: ``remote.drift_checked_at`` tells which)."""
    if remote is None or remote.drift_checked_at is None:
        return []
    words = []
    if remote.drift_held_after_removal:
        words.append(
            f"the dialer holds {_leads(remote.drift_held_after_removal)} the console removed"
        )
    if remote.drift_missing:
        verb = "is" if remote.drift_missing == 1 else "are"
        words.append(f"{_leads(remote.drift_missing)} the console pushed {verb} missing")
    if remote.drift_unknown:
        words.append(f"the dialer holds {_leads(remote.drift_unknown)} the console never pushed")
    if remote.drift_settings:
        words.append(f"the dialer's settings differ ({remote.drift_settings})")
    return words


def campaign_breakdown(*, campaign: Campaign) -> Breakdown:
    """From kept counts only, so it costs the same at a thousand leads and a million: the
    push rows per state (``sync.push_counts``) and the invalid leads of the campaign's
    active lists (each list's kept counts)."""
    rows = push_counts_get(campaign_id=campaign.pk)
    # Few rows wait for the dialer's confirmation: a partial index finds just them, and
    # the count stops at a cap, so a poll costs the same at any campaign size.
    unconfirmed = (
        LeadSync.objects.filter(
            campaign=campaign, state=LeadSyncState.PUSHED, reason=SENT_NOT_CONFIRMED
        )
        .values("pk")[: UNCONFIRMED_COUNT_CAP + 1]
        .count()
    )
    lead_lists = list(
        LeadList.objects.filter(campaign_links__campaign=campaign, campaign_links__active=True)
    )
    invalid = sum(counts.invalid for counts in lead_lists_counts(lead_lists=lead_lists).values())
    return Breakdown(
        not_pushed=rows.get(LeadSyncState.PENDING, 0) + rows.get(LeadSyncState.SENDING, 0),
        pushed=rows.get(LeadSyncState.PUSHED, 0),
        failed=rows.get(LeadSyncState.FAILED, 0),
        dnc=rows.get(LeadSyncState.DNC, 0),
        invalid=invalid,
        removed=rows.get(LeadSyncState.REMOVED, 0),
        unconfirmed=unconfirmed,
    )


def pending_chart(*, campaign: Campaign, limit: int = 48) -> Chart | None:
    """The last ``limit`` pending counts as an SVG polyline (oldest left)."""
    snapshots = list(
        PendingSnapshot.objects.filter(campaign=campaign, pending__isnull=False).order_by(
            "-fetched_at"
        )[:limit]
    )[::-1]
    if len(snapshots) < 2:
        return None
    width, height, pad = 300, 80, 4
    top = max(snapshot.pending for snapshot in snapshots) or 1
    step = (width - 2 * pad) / (len(snapshots) - 1)
    points = tuple(
        ChartPoint(
            x=round(pad + index * step, 1),
            y=round(height - pad - (snapshot.pending / top) * (height - 2 * pad), 1),
            pending=snapshot.pending,
            at=snapshot.fetched_at,
        )
        for index, snapshot in enumerate(snapshots)
    )
    polyline = " ".join(f"{point.x},{point.y}" for point in points)
    return Chart(points=points, polyline=polyline, max_pending=top, width=width, height=height)


def campaign_panel(*, campaign: Campaign) -> CampaignPanel:
    remote = CampaignRemote.objects.filter(campaign=campaign).first()
    jobs = SyncJob.objects.filter(campaign=campaign)
    open_jobs = jobs.filter(state__in=(JobState.PENDING, JobState.RUNNING)).count()
    state = remote.state if remote else CampaignSyncState.DRAFT
    now = timezone.now()
    age = None
    if remote and remote.pending_fetched_at:
        age = int((now - remote.pending_fetched_at).total_seconds())
    notes = []
    if not campaign.vendor_account_id:
        notes.append("No vendor account yet: nothing is sent to a dialer.")
    elif campaign.status == "draft":
        notes.append("A draft stays in the console; the dialer gets it when it is started.")
    return CampaignPanel(
        campaign=campaign,
        remote=remote,
        state=state,
        state_label=CampaignSyncState(state).label,
        badge_class=BADGE_CLASSES[state],
        breakdown=campaign_breakdown(campaign=campaign),
        open_jobs=open_jobs,
        failed_job=jobs.filter(state=JobState.FAILED, needs_attention=True).first(),
        held_job=jobs.filter(state=JobState.HELD).first(),
        chart=pending_chart(campaign=campaign),
        pending_age_seconds=age,
        # A run can end between reading the state and counting the jobs: a page that shows
        # "Syncing" keeps polling until it reads the state the run left.
        busy=open_jobs > 0 or state == CampaignSyncState.SYNCING,
        notes=notes,
        drift=campaign_drift_words(remote=remote),
    )


# --- the campaign list ---------------------------------------------------------------------


@dataclass(frozen=True)
class SyncSummary:
    state: str
    label: str
    badge_class: str
    pending_calls: int | None
    pending_fetched_at: datetime | None


def campaign_sync_summaries(*, campaign_ids: list[int]) -> dict[int, SyncSummary]:
    """Each campaign's badge and pending count in one query (for the campaign list)."""
    summaries = {}
    for remote in CampaignRemote.objects.filter(campaign_id__in=campaign_ids):
        summaries[remote.campaign_id] = SyncSummary(
            state=remote.state,
            label=CampaignSyncState(remote.state).label,
            badge_class=BADGE_CLASSES[remote.state],
            pending_calls=remote.pending_calls,
            pending_fetched_at=remote.pending_fetched_at,
        )
    draft = SyncSummary(CampaignSyncState.DRAFT, CampaignSyncState.DRAFT.label, "", None, None)
    return {campaign_id: summaries.get(campaign_id, draft) for campaign_id in campaign_ids}


def sync_dashboard_tiles(*, user) -> list:
    from django.urls import reverse

    from dialer_console.dashboard import Tile

    if not user.has_perm("sync.view_syncjob"):
        return []
    # Both bounded by what is open, not by the history: the (state, not_before) index
    # serves the first, the partial attention index the second.
    jobs = sync_jobs_visible(user=user)
    waiting = jobs.filter(state__in=(JobState.PENDING, JobState.RUNNING)).count()
    attention = jobs.filter(needs_attention=True).count()
    url = reverse("sync:job-list")
    return [
        Tile(
            gettext("Sync jobs waiting"),
            waiting,
            url,
            note=ngettext("%(count)s needs attention", "%(count)s need attention", attention)
            % {"count": attention},
        )
    ]
