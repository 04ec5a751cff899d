"""The calling window enforced on the dialer (issue #13, point 2), by the means each
adapter declares (``vendors.adapters.types.WindowMeans``):

- PER_LEAD: the dialer schedules each lead (Voicenter's OriginateTime, Webitel's member
  timezone with the window's communication ranges). A lead is pushed on a day its window
  opens (open now, or opening later that day in its own zone) with ``call_from`` its
  opening and ``call_until`` its closing, which the payload turns into the vendor's field.
- GATE: a lead is pushed only while its window is open.
- CAMPAIGN_TIME: the dialer dials only inside a campaign-level time (Acefone's time
  group: the window's hours of the day in one zone; jtel's Runs from/to). A lead is pushed
  only while its window is open and only when the rest of its window lies within that
  time.

Where the adapter's means say ``take_back`` (the vendor documents removing a lead), a
lead pushed and not yet dialled whose window has closed since it was pushed is taken off
the dialer and queued again (``leads_take_back_slice``), to be pushed at its next opening.
A beat (``window_gate_all``) re-queues the campaign job of every running campaign with
leads to push or take back, so the dialer stays supplied as zones open.

The selection reuses the breakdown's grouping (``sync.dialling``): push rows are grouped
by zone and number prefix in SQL and the window judged once per group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from campaigns.windows import Place, WindowRule, place_key
from results.models import LeadResult
from sync.dialling import group_condition, group_place, in_groups, sync_row_groups, with_place
from sync.models import LeadSync, LeadSyncState
from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import VendorError
from vendors.adapters.types import (
    Capability,
    LeadRecord,
    RemoteRef,
    WindowEnforcement,
    WindowMeans,
)

TAKEN_BACK = "Taken back at its window's close, not yet dialled: sent again when it opens."
Span = tuple[dt.datetime | None, dt.datetime | None]
TAKE_BACK_SLICE = 200  # leads taken back (one vendor call each) per read of the selection


@dataclasses.dataclass
class Gate:
    """Which of a campaign's queued leads may be pushed at ``at``, and when each may be
    called. Without a calling window every lead may be pushed, unscheduled."""

    rule: WindowRule | None
    means: WindowMeans
    at: dt.datetime
    span: Span | None = None  # CAMPAIGN_TIME: the dialer's time around ``at``
    # (zone, key) -> (call_from, call_until) for the groups that may be pushed now.
    allowed: dict[tuple[str, str], tuple[dt.datetime, dt.datetime]] = dataclasses.field(
        default_factory=dict
    )

    @classmethod
    def for_campaign(
        cls, *, means: WindowMeans, campaign: Campaign, at: dt.datetime | None = None
    ) -> Gate:
        at = at or timezone.now()
        window = campaign.calling_window
        if window is None:
            return cls(rule=None, means=means, at=at)
        rule = WindowRule.of(window)
        gate = cls(rule=rule, means=means, at=at)
        if means.enforcement == WindowEnforcement.CAMPAIGN_TIME:
            gate.span = campaign_time(rule, means, campaign.vendor_settings or {}, at)
        for _state, zone, key, _rows in sync_row_groups(
            campaign=campaign, states=[LeadSyncState.PENDING]
        ):
            times = gate.call_times(group_place(zone, key))
            if times is not None:
                gate.allowed[(zone or "", key)] = times
        return gate

    def call_times(self, place: Place) -> tuple[dt.datetime, dt.datetime] | None:
        """(call_from, call_until) for a lead in ``place`` when it may be pushed now."""
        rule, at = self.rule, self.at
        if self.means.enforcement == WindowEnforcement.PER_LEAD:
            opening = rule.next_opening(at, place)
            zone = rule.zone(place)
            if opening is None or opening.astimezone(zone).date() != at.astimezone(zone).date():
                return None
            return opening, rule.next_closing(opening, place)
        closing = rule.next_closing(at, place)
        if closing is None:
            return None
        if self.means.enforcement == WindowEnforcement.CAMPAIGN_TIME:
            if self.span is None:
                return None
            start, end = self.span
            if (start is not None and at < start) or (end is not None and closing > end):
                return None
        return at, closing

    def pending(self, rows: QuerySet) -> QuerySet:
        """The push rows of ``rows`` that may be pushed now."""
        if self.rule is None:
            return rows
        return in_groups(rows, self.allowed)

    def schedule(self, record: LeadRecord, lead) -> LeadRecord:
        """The record with its call times, and its zone as the window reads it (the
        lead's own, else its list's, or the window's fixed zone)."""
        if self.rule is None:
            return record
        zone = lead.timezone or lead.lead_list.default_timezone or ""
        key = place_key(lead.phone)
        times = self.allowed.get((zone, key)) or self.call_times(group_place(zone, key))
        if times is None:
            return record
        named = self.rule.fixed_zone or zone
        return dataclasses.replace(
            record, timezone=named or record.timezone, call_from=times[0], call_until=times[1]
        )


def campaign_time(rule: WindowRule, means: WindowMeans, settings: dict, at: dt.datetime):
    """The dialer's campaign-level time around ``at``: its own settings' span where the
    means read one (jtel), else the window's hours of the day in the window's fixed zone,
    or the vendor's (Acefone's time group); None when the dialer is not dialling now."""
    if means.campaign_time is not None:
        return means.campaign_time(settings)
    place = Place(zone=means.campaign_time_zone)
    zone = rule.zone(place)
    if zone is None:
        return None
    hours = rule.open_hours(at.astimezone(zone).date(), place)
    if hours is None or not hours[0] <= at < hours[1]:
        return None
    return hours


# --- taking back ------------------------------------------------------------------------


def take_back_rows(*, campaign: Campaign, at: dt.datetime | None = None) -> QuerySet:
    """Pushed leads not yet dialled (no result with an attempt) whose window closed since
    they were pushed."""
    window = campaign.calling_window
    if window is None:
        return LeadSync.objects.none()
    at = at or timezone.now()
    rule = WindowRule.of(window)
    closed: dict[dt.datetime, set[tuple[str, str]]] = {}
    for _state, zone, key, _rows in sync_row_groups(
        campaign=campaign, states=[LeadSyncState.PUSHED]
    ):
        place = group_place(zone, key)
        if rule.is_open(at, place):
            continue
        last = rule.last_closing(at, place)
        if last is not None:
            closed.setdefault(last, set()).add((zone or "", key))
    if not closed:
        return LeadSync.objects.none()
    dialled = LeadResult.objects.filter(campaign=campaign, lead=OuterRef("lead_id")).filter(
        Q(attempts__gt=0) | Q(last_attempt_at__isnull=False) | Q(done=True)
    )
    condition = Q()
    for last, groups in closed.items():
        condition |= Q(pushed_at__lt=last) & group_condition(groups)
    return (
        with_place(LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED))
        .exclude(Exists(dialled))
        .filter(condition)
    )


def leads_take_back_slice(
    *,
    adapter: BaseAdapter,
    ref: RemoteRef,
    campaign: Campaign,
    deadline: float,
    still_mine: Callable[[], bool],
) -> bool:
    """Take off the dialer, one vendor call each, the leads ``take_back_rows`` finds, and
    queue them again; False when none is left, True when the slice's time is up."""
    if not adapter.window_means.take_back:
        return False
    # Built once (grouping the pushed rows by place is the costly part); each use below
    # is a fresh query, so it sees the results pulled and the rows taken back meanwhile.
    found = take_back_rows(campaign=campaign)
    if not found.exists():
        return False
    from sync.services.push import RunAborted
    from sync.services.results import results_pull_run

    # What the dialer did since the last pull: a lead it dialled is not taken back (and
    # so never dialled twice). Every vendor that takes back reads its results by a call.
    if adapter.supports(Capability.RESULTS_PULL) and not adapter.results_pushed:
        results_pull_run(adapter=adapter, campaign=campaign)

    rows = found.select_related("lead").order_by("lead_id")
    for row in rows[:TAKE_BACK_SLICE]:
        if not still_mine():
            raise RunAborted
        try:
            adapter.lead_remove(ref, remote_lead_id=row.remote_id, phone=row.lead.phone)
        except VendorError as exc:
            exc.message = f"Taking {row.lead.phone} back from {adapter.label}: {exc.message}"
            raise
        LeadSync.objects.filter(pk=row.pk, state=LeadSyncState.PUSHED).update(
            state=LeadSyncState.PENDING,
            remote_id="",
            reason=TAKEN_BACK,
            pushed_at=None,
            updated_at=timezone.now(),
        )
        if time.monotonic() >= deadline:
            break
    return found.exists()


# --- the beat ---------------------------------------------------------------------------


def window_gate_due(*, campaign: Campaign, means: WindowMeans, at: dt.datetime) -> bool:
    """Whether the campaign has queued leads to push now, or leads to take back. (New
    leads are queued by the import's own sync; the job enrols any left over.)"""
    gate = Gate.for_campaign(means=means, campaign=campaign, at=at)
    pending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
    if gate.pending(pending).exists():
        return True
    return means.take_back and take_back_rows(campaign=campaign, at=at).exists()


def window_gate_all(*, at: dt.datetime | None = None) -> int:
    """The beat: queue the campaign job of each running campaign with a calling window
    and leads to push now or take back. Returns how many were queued."""
    from sync.services.hooks import campaign_sync_enqueue
    from vendors.services import vendor_adapter_class

    at = at or timezone.now()
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.ACTIVE,
        calling_window__isnull=False,
        vendor_account__isnull=False,
    ).select_related("vendor_account", "calling_window")
    queued = 0
    for campaign in campaigns:
        means = vendor_adapter_class(campaign.vendor_account.kind).window_means
        if window_gate_due(campaign=campaign, means=means, at=at):
            campaign_sync_enqueue(campaign=campaign, reason="Calling windows opened or closed")
            queued += 1
    return queued
