"""Results from the dialers: what each did with every lead, stored per lead and campaign
(``results.models.LeadResult``) with the vendor's raw status beside the console's code.

A pull is a sync job (``Operation.RESULTS_PULL``), so it is paced by the account's rate
limits and every call it makes is in the call log; beat enqueues one per campaign on a
dialer. Vendors that deliver results to a callback URL (Ozonetel's dial-status export) are
asked to send them to the account's receiving endpoint, and ``results_store`` files them
when they arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from campaigns.models import Campaign
from results.models import CallAttempt, LeadResult, ResultSource
from results.recycling.apply import Fresh, recycle_after_results
from sync.models import CampaignRemote, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.jobs import sync_job_enqueue
from sync.services.remote import campaign_remote, campaign_remote_ref
from vendors.adapters.base import BaseAdapter, stored_words
from vendors.adapters.types import CallRecord, Capability, DialResult

# The fields of LeadResult a dialer's report sets; a row changes only when one differs.
_REPORTED = ("attempts", "last_attempt_at", "last_result_raw", "last_result_code", "agent",
             "next_attempt_at", "done")  # fmt: skip


@dataclass(frozen=True)
class StoreOutcome:
    matched: int
    changed: int
    unmatched: int


def _number_key(phone: str) -> str:
    # Dialers echo numbers with or without "+" and the country code: the last ten digits.
    return re.sub(r"\D", "", phone or "")[-10:]


def _text(value: str, length: int) -> str:
    # A dialer's words go to PostgreSQL text, which holds no NUL.
    return str(value).replace("\x00", "")[:length]


def _values(result: DialResult) -> dict:
    return {
        "attempts": result.attempts,
        "last_attempt_at": result.last_attempt_at,
        "last_result_raw": _text(result.result_raw, 120),
        "last_result_code": _text(result.outcome, 20),
        "agent": _text(result.agent, 150),
        "next_attempt_at": result.next_attempt_at,
        "done": result.done,
    }


def _lead_keys(campaign: Campaign) -> tuple[dict[str, int], dict[str, int], dict[int, datetime]]:
    """The campaign's pushed leads by remote id and by number, and when each was pushed."""
    by_remote: dict[str, int] = {}
    by_number: dict[str, int] = {}
    pushed_at: dict[int, datetime] = {}
    rows = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).values_list(
        "lead_id", "remote_id", "lead__phone", "pushed_at"
    )
    for lead_id, remote_id, phone, when in rows.iterator(chunk_size=5000):
        if remote_id:
            by_remote[remote_id] = lead_id
        by_number.setdefault(_number_key(phone), lead_id)
        pushed_at[lead_id] = when
    return by_remote, by_number, pushed_at


@transaction.atomic
def results_store(
    *,
    campaign: Campaign,
    results: list[DialResult],
    source: str,
    listing_started_at: datetime | None = None,
    call_records: list[CallRecord] | None = None,
) -> StoreOutcome:
    """File the dialer's results on the campaign's leads, matched by the remote id a push
    recorded or else by number. Rows change only where a reported value differs, so the
    same report twice changes nothing. ``listing_started_at``: the results came from a
    listing of only the leads still waiting (Voicenter), read from this time: a lead
    pushed before it and missing from the listing has been dialled, so it is done.
    ``call_records``: the vendor's call log since the campaign's first push (Voicenter's
    CDRs): each lead's attempts are its records, the latest gives its last attempt,
    result and agent, and each record is one ``CallAttempt``, filed once by its id."""
    by_remote, by_number, pushed_at = _lead_keys(campaign)
    reported: dict[int, DialResult] = {}
    unmatched = 0
    for result in results:
        lead_id = by_remote.get(result.remote_id) or by_number.get(_number_key(result.phone))
        if lead_id is None:
            unmatched += 1
            continue
        reported[lead_id] = result
    if listing_started_at is not None:
        for lead_id, when in pushed_at.items():
            if lead_id not in reported and when and when < listing_started_at:
                reported[lead_id] = DialResult(done=True)
    logged: dict[int, list[CallRecord]] = {}
    if call_records is not None:
        logged = _records_by_lead(call_records, by_remote, by_number, pushed_at)
        for lead_id in set(reported) | set(logged):
            reported[lead_id] = _with_records(
                reported.get(lead_id, DialResult()), logged.get(lead_id, [])
            )
    now = timezone.now()
    existing = {row.lead_id: row for row in LeadResult.objects.filter(campaign=campaign)}
    created, updated, attempts, fresh, dialled = [], [], [], [], []
    for lead_id, result in reported.items():
        values = _values(result)
        row = existing.get(lead_id)
        if row is None:
            row = LeadResult(campaign=campaign, lead_id=lead_id, source=source, reported_at=now)
            created.append(row)
        elif all(getattr(row, name) == values[name] for name in _REPORTED):
            continue
        else:
            updated.append(row)
        changed_time = result.last_attempt_at and result.last_attempt_at != row.last_attempt_at
        if _new_attempt(row, values):
            dialled.append(_fresh(lead_id, result, now))
        if _new_outcome(row, values):
            fresh.append(_fresh(lead_id, result, now))
        if changed_time and call_records is None:
            attempts.append(_attempt(campaign, lead_id, result, source))
        for name, value in values.items():
            setattr(row, name, value)
        row.source, row.reported_at = source, now
    LeadResult.objects.bulk_create(created, batch_size=1000)
    LeadResult.objects.bulk_update(updated, [*_REPORTED, "source", "reported_at"], batch_size=1000)
    attempts += [
        _logged_attempt(campaign, lead_id, record, source)
        for lead_id, records in logged.items()
        for record in records
    ]
    CallAttempt.objects.bulk_create(attempts, batch_size=1000, ignore_conflicts=True)
    from webhooks.services.events import webhooks_on_dialer_results

    webhooks_on_dialer_results(campaign=campaign, rows=[*created, *updated])
    recycle_after_results(campaign=campaign, fresh=fresh, dialled=dialled)
    return StoreOutcome(len(reported), len(created) + len(updated), unmatched)


def _new_outcome(row: LeadResult, values: dict) -> bool:
    """A report tells of a new dialling outcome the recycling rules act on: a result the
    dialer has finished with (done, or it does not say), newly dialled or changed."""
    if not values["last_result_code"] or values["done"] is False:
        return False
    return row.pk is None or any(
        getattr(row, name) != values[name]
        for name in ("attempts", "last_attempt_at", "last_result_code", "done")
    )


def _new_attempt(row: LeadResult, values: dict) -> bool:
    """The report tells of a call made since the last one (whatever its outcome)."""
    if not values["attempts"] and not values["last_attempt_at"]:
        return False
    return row.pk is None or any(
        getattr(row, name) != values[name] for name in ("attempts", "last_attempt_at")
    )


def _fresh(lead_id: int, result: DialResult, now: datetime) -> Fresh:
    return Fresh(
        lead_id=lead_id,
        code=_text(result.outcome, 20),
        at=result.last_attempt_at or now,
        callback_at=result.next_attempt_at,
    )


def _attempt(campaign: Campaign, lead_id: int, result: DialResult, source: str) -> CallAttempt:
    """The attempt a report's new last-attempt time tells of, keyed by lead and time so
    the same report twice adds it once."""
    return CallAttempt(
        campaign=campaign,
        lead_id=lead_id,
        attempted_at=result.last_attempt_at,
        result_raw=_text(result.result_raw, 120),
        result_code=_text(result.outcome, 20),
        agent=_text(result.agent, 150),
        source=source,
        vendor_event_id=_text(
            f"{result.remote_id or lead_id}@{result.last_attempt_at.isoformat()}", 120
        ),
    )


def _records_by_lead(
    records: list[CallRecord],
    by_remote: dict[str, int],
    by_number: dict[str, int],
    pushed_at: dict[int, datetime],
) -> dict[int, list[CallRecord]]:
    """The records of the campaign's pushed leads, by lead: the console's lead id where
    the call carried it back, else the remote id, else the number."""
    per_lead: dict[int, list[CallRecord]] = {}
    for record in records:
        lead_id = record.lead_id if record.lead_id in pushed_at else None
        lead_id = lead_id or by_remote.get(record.remote_id)
        lead_id = lead_id or by_number.get(_number_key(record.phone))
        if lead_id is not None:
            per_lead.setdefault(lead_id, []).append(record)
    return per_lead


def _with_records(result: DialResult, records: list[CallRecord]) -> DialResult:
    """``result`` with what the call log says: attempts counted (0 when the log holds
    none for the lead), and the latest record's time, result and agent."""
    if not records:
        return replace(result, attempts=0)
    latest = max(records, key=lambda record: (record.at, record.record_id))
    return replace(
        result,
        attempts=len({record.record_id for record in records}),
        last_attempt_at=latest.at,
        result_raw=latest.result_raw,
        outcome=latest.outcome,
        agent=latest.agent,
    )


def _logged_attempt(campaign: Campaign, lead_id: int, record: CallRecord, source: str):
    return CallAttempt(
        campaign=campaign,
        lead_id=lead_id,
        attempted_at=record.at,
        result_raw=_text(record.result_raw, 120),
        result_code=_text(record.outcome, 20),
        agent=_text(record.agent, 150),
        duration_seconds=record.duration_seconds,
        source=source,
        vendor_event_id=_text(f"cdr:{record.record_id}", 120),
    )


def _call_log_since(campaign: Campaign) -> datetime | None:
    """Where the campaign's call log starts: its first push (a minute before, for clocks
    that differ); None before anything was pushed."""
    first = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).aggregate(
        first=Min("pushed_at")
    )["first"]
    return first - timedelta(minutes=1) if first else None


def results_pull_run(*, adapter: BaseAdapter, campaign: Campaign, callback_url: str = "") -> str:
    """One pull: read the campaign's results from its dialer and file them. Returns a
    note for the job ("" when all went as expected)."""
    remote = campaign_remote(campaign=campaign)
    ref = campaign_remote_ref(remote=remote)
    if ref is None:
        return "The campaign is not on the dialer yet."
    if not adapter.supports(Capability.RESULTS_PULL):
        return stored_words(adapter.unsupported_reasons.get(Capability.RESULTS_PULL))
    started = timezone.now()
    results = adapter.results_pull(ref, callback_url=callback_url)
    if adapter.results_pushed:
        return "Asked the dialer to send its results to the receiving endpoint."
    records = None
    if adapter.call_records_read:
        since = _call_log_since(campaign)
        records = adapter.call_records(ref, since=since) if since else []
    outcome = results_store(
        campaign=campaign,
        results=results,
        source=ResultSource.PULL,
        listing_started_at=None if adapter.lead_listing_complete else started,
        call_records=records,
    )
    if outcome.unmatched:
        return f"{outcome.unmatched} result(s) matched no lead the console pushed."
    return ""


def results_pull_enqueue(*, campaign: Campaign, reason: str) -> SyncJob:
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.RESULTS_PULL,
        campaign=campaign,
        reason=reason,
        dedupe_key=f"{Operation.RESULTS_PULL}:{campaign.pk}",
    )


def results_pull_all() -> int:
    """The periodic pull: every campaign on a dialer whose vendor reports results."""
    from campaigns.models import CampaignStatus
    from vendors.services import vendor_adapter_class

    remotes = (
        CampaignRemote.objects.filter(campaign__vendor_account__isnull=False)
        .exclude(remote_ref={})
        .exclude(campaign__status=CampaignStatus.ARCHIVED)
        .select_related("campaign__vendor_account")
    )
    count = 0
    for remote in remotes.iterator(chunk_size=500):
        campaign = remote.campaign
        if not campaign_remote_ref(remote=remote):
            continue
        adapter_class = vendor_adapter_class(campaign.vendor_account.kind)
        if not adapter_class.supports(Capability.RESULTS_PULL):
            continue
        # A vendor that delivers to a callback URL has nowhere to send until the account's
        # receiving endpoint is made (the account page offers it): no job to fail meanwhile.
        if adapter_class.results_pushed and not campaign.vendor_account.receiving_token:
            continue
        with transaction.atomic():
            results_pull_enqueue(campaign=campaign, reason="Periodic results pull")
        count += 1
    return count
