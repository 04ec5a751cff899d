"""Pushing a campaign's leads exactly once.

Each lead has a ``LeadSync`` row per campaign. A batch is marked SENDING (with a batch
token) and committed *before* it is sent, and its outcome is written when the vendor
answers. So after any failure, a row is in one of three honest states: PENDING (never
sent, or refused for sure), PUSHED/FAILED/DNC (the vendor's answer is recorded), or
SENDING (sent, answer lost: a timeout, a 5xx, or a worker killed mid-request).

Only one campaign job runs per campaign at a time (``jobs.sync_job_claim``), so SENDING
rows found at the start of a run belong to a run that is gone. They are reconciled before
anything else is sent:

1. The adapter sends the vendor's own duplicate guard (``duplicate_guard``: Acefone's
   duplicate_option, Ozonetel's checkDuplicate, jtel's overwriteDuplicates): the batch is
   simply sent again; a lead the dialer already holds comes back as a duplicate.
2. Otherwise (Webitel, Voicenter: no guard) the dialer is asked how many leads it holds
   for the campaign. Every batch is inserted whole or not at all, and the console knows
   how many of its leads the dialer should hold, so the total says whether the lost batch
   landed (mark it pushed) or not (send it again). Any other total means someone else
   changed the dialer's list: the batch is marked failed with that explanation and is
   never sent blindly, so a lead is never dialled twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from leads.models import Lead, LeadStatus
from leads.selectors import lead_record
from sync.models import SENT_NOT_CONFIRMED, LeadSync, LeadSyncState
from sync.services.ratelimit import RateLimitWait
from sync.window_gate import Gate
from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorTemporaryError,
)
from vendors.adapters.types import Capability, LeadOutcome, PushResult, RemoteRef

ALREADY_ON_DIALER = "The dialer already had this lead."
CONFIRMED_AFTER_LOSS = "Confirmed on the dialer after an interrupted push."
ENROLL_CHUNK = 5000
_STATE_BY_OUTCOME = {
    LeadOutcome.ACCEPTED: LeadSyncState.PUSHED,
    LeadOutcome.DUPLICATE: LeadSyncState.PUSHED,
    LeadOutcome.REJECTED: LeadSyncState.FAILED,
    LeadOutcome.DNC: LeadSyncState.DNC,
    # Delivered as far as the dialer said; the reason tells the page it is unconfirmed.
    LeadOutcome.SENT: LeadSyncState.PUSHED,
}


class RunAborted(Exception):
    """The job is no longer this run's (swept back as stale): stop without sending."""


def leads_enroll(*, campaign) -> int:
    """Give every dialable lead of the campaign's active lists a PENDING row, once.
    Returns how many were added."""
    has_row = LeadSync.objects.filter(campaign=campaign, lead=OuterRef("pk"))
    lead_ids = list(
        Lead.objects.filter(
            lead_list__campaign_links__campaign=campaign,
            lead_list__campaign_links__active=True,
            status=LeadStatus.NEW,
        )
        .exclude(Exists(has_row))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    for start in range(0, len(lead_ids), ENROLL_CHUNK):
        LeadSync.objects.bulk_create(
            [
                LeadSync(campaign=campaign, lead_id=lead_id)
                for lead_id in lead_ids[start : start + ENROLL_CHUNK]
            ],
            ignore_conflicts=True,
        )
    return len(lead_ids)


def leads_push_slice(
    *,
    adapter: BaseAdapter,
    ref: RemoteRef,
    campaign,
    deadline: float,
    still_mine: Callable[[], bool],
) -> bool:
    """Reconcile any lost batch, then push PENDING leads in batches of the vendor's size
    until none is left (False) or the slice's time is up (True: more to do). Only the
    leads the calling window lets through now are pushed, each with its call times
    (``sync.window_gate``); the others wait for the gate's beat."""
    leads_reconcile_in_flight(adapter=adapter, ref=ref, campaign=campaign)
    gate = Gate.for_campaign(means=adapter.window_means, campaign=campaign)
    while True:
        if not still_mine():
            raise RunAborted
        token, rows = _take_batch(campaign, adapter.max_batch_size, gate)
        if not rows:
            return False
        _send_batch(adapter, ref, token, rows, gate)
        if time.monotonic() >= deadline:
            pending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
            return gate.pending(pending.filter(_due())).exists()


def _due() -> Q:
    """A PENDING row recycled for later (``LeadSync.not_before``) waits until its time."""
    return Q(not_before__isnull=True) | Q(not_before__lte=timezone.now())


def _take_batch(campaign, size: int, gate: Gate) -> tuple[str, list[LeadSync]]:
    """Claim the next PENDING rows as one batch: read them (with their leads) through the
    (campaign, state, lead) index, then mark them SENDING under a fresh token, guarded on
    their still being PENDING, so a row another process moved meanwhile is not taken."""
    while True:
        pending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
        rows = list(
            gate.pending(pending.filter(_due()))
            .select_related("lead__lead_list")
            .order_by("lead_id")[:size]
        )
        if not rows:
            return "", []
        token = uuid.uuid4().hex
        ids = [row.pk for row in rows]
        claimed = LeadSync.objects.filter(pk__in=ids, state=LeadSyncState.PENDING).update(
            state=LeadSyncState.SENDING, batch=token, attempts=F("attempts") + 1
        )
        if claimed != len(rows):
            # Some rows changed (a lead removed) between the read and the claim.
            mine = set(
                LeadSync.objects.filter(pk__in=ids, batch=token).values_list("pk", flat=True)
            )
            rows = [row for row in rows if row.pk in mine]
        for row in rows:
            row.state, row.batch, row.attempts = LeadSyncState.SENDING, token, row.attempts + 1
        sendable = _drop_undialable(rows)
        if sendable:
            return token, sendable


def _drop_undialable(rows: list[LeadSync]) -> list[LeadSync]:
    """Leads that became DNC, invalid or removed in the console after they were queued
    are not sent."""
    sendable, dropped = [], []
    for row in rows:
        if row.lead.status == LeadStatus.NEW:
            sendable.append(row)
            continue
        row.state = (
            LeadSyncState.DNC if row.lead.status == LeadStatus.DNC else LeadSyncState.REMOVED
        )
        row.reason = (
            f"Not sent: the lead is {row.lead.get_status_display().lower()} in the console."
        )
        row.batch = ""
        dropped.append(row)
    if dropped:
        _save_rows(dropped)
    return sendable


def _refused_for_sure(exc: VendorError) -> bool:
    """The vendor (or our own limiter) certainly did not take the batch."""
    if isinstance(exc, RateLimitWait | VendorConfigurationError | VendorPermanentError):
        return True
    return isinstance(exc, VendorTemporaryError) and exc.status_code == 429


def _send_batch(
    adapter: BaseAdapter, ref: RemoteRef, token: str, rows: list[LeadSync], gate: Gate
) -> None:
    records = [gate.schedule(lead_record(lead=row.lead), row.lead) for row in rows]
    try:
        result = adapter.leads_push(ref, records)
    except VendorError as exc:
        if _refused_for_sure(exc):
            LeadSync.objects.filter(batch=token, state=LeadSyncState.SENDING).update(
                state=LeadSyncState.PENDING, batch=""
            )
        # Otherwise the rows stay SENDING: the next run reconciles them with the dialer.
        raise
    _record_results(rows, result, redact=adapter.redact)


def _record_results(rows: list[LeadSync], result: PushResult, *, redact) -> None:
    by_lead = {item.lead_id: item for item in result.results}
    now = timezone.now()
    for row in rows:
        item = by_lead.get(row.lead_id)
        row.batch = ""
        if item is None:
            row.state = LeadSyncState.FAILED
            row.reason = "The dialer's reply gave no outcome for this lead."
            continue
        row.state = _STATE_BY_OUTCOME[item.outcome]
        row.remote_id = item.remote_id[:120]
        if item.outcome == LeadOutcome.DUPLICATE:
            row.reason = ALREADY_ON_DIALER
        elif item.outcome == LeadOutcome.SENT:
            row.reason = SENT_NOT_CONFIRMED
        else:
            row.reason = redact(item.message)[:500]
        if row.state == LeadSyncState.PUSHED:
            row.pushed_at = now
    _save_rows(rows)


def _save_rows(rows: list[LeadSync]) -> None:
    """Write many rows' outcomes at once. An upsert on (campaign, lead) rather than
    ``bulk_update``, whose CASE-per-row SQL is ~100 times slower for a 1,000-lead batch."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now
    LeadSync.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["campaign", "lead"],
        update_fields=["state", "remote_id", "reason", "batch", "pushed_at", "updated_at"],
    )


CONFIRM_CHUNK = 1_000


def leads_confirm_sent(*, adapter: BaseAdapter, ref: RemoteRef, campaign) -> int:
    """Ask the dialer about leads sent but not yet confirmed (the read-back after a bulk
    push failed), a chunk at a time, by its documented listing; each becomes pushed with
    the dialer's id, DNC or failed, as it would have right after the push. Returns how
    many were settled (0 where the vendor has no listing)."""
    rows = list(
        LeadSync.objects.filter(
            campaign=campaign, state=LeadSyncState.PUSHED, reason=SENT_NOT_CONFIRMED
        )
        .select_related("lead")
        .order_by("lead_id")[:CONFIRM_CHUNK]
    )
    if not rows:
        return 0
    result = adapter.leads_confirm(ref, [lead_record(lead=row.lead) for row in rows])
    if result is None:
        return 0
    _record_results(rows, result, redact=adapter.redact)
    return len(rows)


def leads_reconcile_in_flight(*, adapter: BaseAdapter, ref: RemoteRef, campaign) -> None:
    """Settle SENDING rows a previous run left behind; see the module docstring."""
    stranded = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.SENDING)
    lost = stranded.count()
    if not lost:
        return
    if adapter.duplicate_guard:
        stranded.update(state=LeadSyncState.PENDING, batch="")
        return
    total = _remote_total(adapter, ref)
    expected = (
        LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
        .exclude(reason=ALREADY_ON_DIALER)
        .count()
    )
    if total == expected + lost:
        stranded.update(
            state=LeadSyncState.PUSHED,
            batch="",
            reason=CONFIRMED_AFTER_LOSS,
            pushed_at=timezone.now(),
        )
    elif total == expected:
        stranded.update(state=LeadSyncState.PENDING, batch="")
    else:
        found = "an unknown number of" if total is None else str(total)
        stranded.update(
            state=LeadSyncState.FAILED,
            batch="",
            reason=(
                f"A push was interrupted and {adapter.label} holds {found} leads for this "
                f"campaign where the console expected {expected} or {expected + lost}; these "
                "leads were not sent again so that nobody is called twice. Check the dialer, "
                "then use “Push failed leads again”."
            )[:500],
        )


REMOVED_IN_CONSOLE = "Taken off the dialer: the lead was removed in the console."
REMOVED_AS_DNC = "Taken off the dialer: the number is on the do-not-call list."
REMOVE_CHUNK = 200


def leads_remove_slice(
    *,
    adapter: BaseAdapter,
    ref: RemoteRef,
    campaign,
    deadline: float,
    still_mine: Callable[[], bool],
) -> bool:
    """Take off the dialer every lead it holds that the console has since removed (an
    import undone, a bulk delete) or marked do-not-call, one vendor call per lead, until
    none is left (False) or the slice's time is up (True). A lead's row becomes REMOVED
    (DNC) as soon as the dialer has dropped it, so a retry resumes with the next one. A
    vendor error stops the slice with the lead's row still PUSHED, and the job's own retry
    or failure path takes over."""
    held = LeadSync.objects.filter(
        campaign=campaign,
        state=LeadSyncState.PUSHED,
        lead__status__in=(LeadStatus.REMOVED, LeadStatus.DNC),
    )
    while True:
        rows = list(held.select_related("lead").order_by("lead_id")[:REMOVE_CHUNK])
        if not rows:
            return False
        for row in rows:
            if not still_mine():
                raise RunAborted
            try:
                adapter.lead_remove(ref, remote_lead_id=row.remote_id, phone=row.lead.phone)
            except VendorError as exc:
                exc.message = f"Removing {row.lead.phone} from {adapter.label}: {exc.message}"
                raise
            # A lead taken off because its number went on the do-not-call list counts as
            # DNC (the sync panel's DNC figure), as in ``lead_jobs.lead_remove_run``.
            gone = row.lead.status == LeadStatus.DNC
            LeadSync.objects.filter(pk=row.pk, state=LeadSyncState.PUSHED).update(
                state=LeadSyncState.DNC if gone else LeadSyncState.REMOVED,
                reason=REMOVED_AS_DNC if gone else REMOVED_IN_CONSOLE,
                updated_at=timezone.now(),
            )
            if time.monotonic() >= deadline:
                return held.exists()


def _remote_total(adapter: BaseAdapter, ref: RemoteRef) -> int | None:
    if not adapter.supports(Capability.PENDING_COUNT):
        return None
    return adapter.pending_count(ref).total


def leads_failed_requeue(*, campaign) -> int:
    """“Push failed leads again”: FAILED rows become PENDING. Returns how many."""
    return LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.FAILED).update(
        state=LeadSyncState.PENDING, reason="", batch=""
    )
