"""Carrying out the rules: a lead's outcome decides when it is dialled again, a callback
is scheduled, beat returns due leads to the push. See the package docstring."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import DEFAULT_WINDOW_START, CampaignStatus
from results.models import (
    Callback,
    CallbackState,
    CallbackVia,
    LeadRecycle,
    RecycleAction,
    RecycleMatch,
)
from results.recycling.rules import Rule, effective_rules
from sync.models import LeadSync, LeadSyncState, Operation
from vendors.adapters.types import Capability

logger = logging.getLogger(__name__)

# A callback still open this long after its time was missed (the dialer had a call
# running, or a slow pull: not missed yet).
MISSED_GRACE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Fresh:
    """One lead's new outcome: a dialer result or a recorded disposition."""

    lead_id: int
    code: str
    at: dt.datetime
    callback_at: dt.datetime | None = None  # the dialer's next try, or the person's time


def _schedules_on_dialer(campaign) -> bool:
    if not campaign.vendor_account_id:
        return False
    from vendors.services import vendor_adapter_class

    return vendor_adapter_class(campaign.vendor_account.kind).supports(Capability.SCHEDULE_CALL)


def _lead_zone(campaign, lead) -> zoneinfo.ZoneInfo:
    """The zone a lead's "next day" is counted in: the calling window's for the lead's
    place, else the lead's own zone, else the console's."""
    if campaign.calling_window_id:
        from campaigns.windows.places import place_of_lead
        from campaigns.windows.rules import WindowRule

        zone = WindowRule.of(campaign.calling_window).zone(
            place_of_lead(phone=lead.phone, timezone=lead.timezone)
        )
        if zone is not None:
            return zone
    try:
        return zoneinfo.ZoneInfo(lead.timezone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_day_opening(campaign, lead, now: dt.datetime) -> dt.datetime:
    """The next day's first instant the campaign's window opens for the lead; with no
    window (or none within its horizon), 08:00 the next day in the lead's zone (the
    default window's start, 47 CFR 64.1200)."""
    zone = _lead_zone(campaign, lead)
    tomorrow = (now.astimezone(zone) + dt.timedelta(days=1)).date()
    midnight = dt.datetime.combine(tomorrow, dt.time(0, 0), tzinfo=zone)
    if campaign.calling_window_id:
        from campaigns.windows.places import place_of_lead
        from campaigns.windows.rules import WindowRule

        opening = WindowRule.of(campaign.calling_window).next_opening(
            midnight, place_of_lead(phone=lead.phone, timezone=lead.timezone)
        )
        if opening is not None:
            return opening
    return dt.datetime.combine(tomorrow, DEFAULT_WINDOW_START, tzinfo=zone)


def due_time(rule: Rule, *, campaign, lead, fresh: Fresh) -> dt.datetime | None:
    if rule.action == RecycleAction.DELAY:
        return fresh.at + dt.timedelta(minutes=rule.delay_minutes or 0)
    if rule.action == RecycleAction.NEXT_DAY:
        return next_day_opening(campaign, lead, fresh.at)
    return fresh.callback_at  # None: no time was given, nothing to do


def _rule_for(rules, kind: str, code: str) -> Rule | None:
    if kind == RecycleMatch.DIALER:
        # A dialer result mapped to a console code (jtel's result codes) matches both.
        return rules.get((RecycleMatch.DIALER, code)) or rules.get((RecycleMatch.DISPOSITION, code))
    return rules.get((kind, code))


def _send_again(*, campaign, lead, when: dt.datetime, reason: str) -> str:
    """Have the lead dialled again at ``when``: on the dialer's own schedule where it
    has one and holds the lead, else by re-pushing it then. Returns how (CallbackVia),
    "" when the lead has no push row in the campaign (never pushed: nothing to repeat)."""
    from sync.services.jobs import sync_job_enqueue

    row = LeadSync.objects.filter(campaign=campaign, lead=lead).first()
    if row is None:
        return CallbackVia.CONSOLE if not campaign.vendor_account_id else ""
    if row.state == LeadSyncState.PUSHED and _schedules_on_dialer(campaign):
        sync_job_enqueue(
            account=campaign.vendor_account,
            operation=Operation.LEAD_SCHEDULE_CALL,
            campaign=campaign,
            lead_id=lead.pk,
            payload={"when": when.isoformat(), "phone": lead.phone, "name": lead_name(lead)},
            reason=reason[:300],
        )
        return CallbackVia.DIALER
    LeadSync.objects.filter(pk=row.pk).update(not_before=when, updated_at=timezone.now())
    return CallbackVia.REPUSH


def lead_name(lead) -> str:
    return " ".join(part for part in (lead.first_name, lead.last_name) if part)[:120]


def recycle_decide(*, campaign, lead, kind: str, fresh: Fresh, rules=None) -> dt.datetime | None:
    """Apply the campaign's rule for one new outcome, if any and not used up: count it
    and have the lead dialled again at its due time. Returns the due time, or None."""
    rules = effective_rules(campaign) if rules is None else rules
    rule = _rule_for(rules, kind, fresh.code)
    if rule is None:
        return None
    when = due_time(rule, campaign=campaign, lead=lead, fresh=fresh)
    if when is None:
        return None
    with transaction.atomic():
        counter, _ = LeadRecycle.objects.select_for_update().get_or_create(
            campaign=campaign, lead=lead, match_kind=rule.match_kind, match_code=rule.match_code
        )
        if counter.times >= rule.max_times:
            return None
        how = _send_again(
            campaign=campaign, lead=lead, when=when, reason=f"Recycled: {rule.describe()}"
        )
        if not how:
            return None
        counter.times, counter.last_due_at = counter.times + 1, when
        counter.save(update_fields=["times", "last_due_at", "updated_at"])
    return when


def recycle_after_results(*, campaign, fresh: list[Fresh], dialled: list[Fresh] = ()) -> int:
    """The dialer reported calls (``dialled``) and new outcomes it has finished with
    (``fresh``; ``sync.services.results.results_store``): close the callbacks the calls
    answer and apply the rules to the outcomes. Returns how many leads were recycled."""
    if dialled:
        callbacks_answered(campaign=campaign, fresh=list(dialled))
    if not fresh:
        return 0
    from leads.models import Lead

    rules = effective_rules(campaign)
    if not rules:
        return 0
    leads = Lead.objects.in_bulk([item.lead_id for item in fresh])
    recycled = 0
    for item in fresh:
        lead = leads.get(item.lead_id)
        if lead is not None and item.code:
            kind = RecycleMatch.DIALER
            recycled += bool(
                recycle_decide(campaign=campaign, lead=lead, kind=kind, fresh=item, rules=rules)
            )
    return recycled


# --- callbacks -------------------------------------------------------------------------


def callback_open(*, disposition, when: dt.datetime) -> Callback:
    """A callback recorded with ``disposition``: the lead's open callback (in any
    campaign) is replaced, then the new one is scheduled on the dialer or for re-push."""
    campaign, lead = disposition.campaign, disposition.lead
    now = timezone.now()
    Callback.objects.filter(lead=lead, state=CallbackState.OPEN).update(
        state=CallbackState.REPLACED, closed_at=now
    )
    how = _send_again(campaign=campaign, lead=lead, when=when, reason="Callback")
    return Callback.objects.create(
        campaign=campaign,
        lead=lead,
        disposition=disposition,
        due_at=when,
        via=how or CallbackVia.CONSOLE,
    )


def callback_window_note(*, campaign, lead, when: dt.datetime) -> str:
    """A warning when a callback time falls outside the campaign's calling window for
    the lead (the push holds a lead until its window opens); "" when inside, or when the
    campaign has no window."""
    if not campaign.calling_window_id:
        return ""
    from campaigns.windows.places import place_of_lead
    from campaigns.windows.rules import WindowRule

    rule = WindowRule.of(campaign.calling_window)
    place = place_of_lead(phone=lead.phone, timezone=lead.timezone)
    if rule.is_open(when, place):
        return ""
    opening = rule.next_opening(when, place)
    if opening is None:
        return "The callback time is outside the calling window, which does not open again soon."
    local = timezone.localtime(opening).strftime("%Y-%m-%d %H:%M")
    return f"The callback time is outside the calling window: the lead is called from {local}."


def callbacks_close_for_outcome(*, campaign, lead) -> int:
    """A later outcome recorded for the lead in the campaign answers its open callback."""
    return Callback.objects.filter(campaign=campaign, lead=lead, state=CallbackState.OPEN).update(
        state=CallbackState.DONE, closed_at=timezone.now()
    )


def callbacks_answered(*, campaign, fresh: list[Fresh]) -> int:
    """An attempt the dialer reports at or after a callback's time answers it."""
    closed = 0
    by_lead = {item.lead_id: item.at for item in fresh}
    open_ones = Callback.objects.filter(
        campaign=campaign, state=CallbackState.OPEN, lead_id__in=list(by_lead)
    )
    for callback in open_ones:
        if by_lead[callback.lead_id] >= callback.due_at - MISSED_GRACE:
            closed += Callback.objects.filter(pk=callback.pk, state=CallbackState.OPEN).update(
                state=CallbackState.DONE, closed_at=timezone.now()
            )
    return closed


def missed_callbacks(*, campaign, now: dt.datetime | None = None):
    """Callbacks of the campaign still open ``MISSED_GRACE`` after their time: nobody
    called the lead and no outcome was recorded since."""
    now = now or timezone.now()
    return Callback.objects.filter(
        campaign=campaign, state=CallbackState.OPEN, due_at__lt=now - MISSED_GRACE
    )


# --- beat ------------------------------------------------------------------------------


def recycle_due_run(*, now: dt.datetime | None = None) -> int:
    """Return each pushed lead whose recycle time has come to PENDING (clearing the
    time) and queue its campaign's sync, which pushes it again inside the calling
    window. A row pushed again after its time was set (``pushed_at``) is not due any
    more. Returns how many rows moved."""
    from campaigns.models import Campaign
    from sync.services.hooks import campaign_sync_enqueue

    now = now or timezone.now()
    # Only running campaigns: a paused or stopped one's leads wait until it runs again.
    due = LeadSync.objects.filter(
        state=LeadSyncState.PUSHED, not_before__lte=now, campaign__status=CampaignStatus.ACTIVE
    ).filter(Q(pushed_at__isnull=True) | Q(pushed_at__lt=F("not_before")))
    campaign_ids = set(due.values_list("campaign_id", flat=True).distinct())
    moved = 0
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).select_related("vendor_account"):
        with transaction.atomic():
            moved += due.filter(campaign=campaign).update(
                state=LeadSyncState.PENDING,
                not_before=None,
                batch="",
                reason="Recycled: due to be dialled again.",
                updated_at=now,
            )
            campaign_sync_enqueue(campaign=campaign, reason="Recycled leads are due")
    # Rows pushed again since their time was set: the time is spent.
    LeadSync.objects.filter(
        state=LeadSyncState.PUSHED, not_before__lte=now, pushed_at__gte=F("not_before")
    ).update(not_before=None)
    return moved
