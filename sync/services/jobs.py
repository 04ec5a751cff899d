"""The outbox: writing jobs, claiming them, and what happens after a run.

A job is written in the caller's transaction and its id handed to Celery only after
commit. Claiming is one conditional UPDATE (``state=pending AND not_before<=now``), so two
workers never run one job on any database; campaign jobs are also serialised per
campaign under a row lock on the campaign's ``CampaignRemote``. Every write after the
run is conditional on the claim token, so a run that was swept away as stale can never
overwrite what its successor did.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext

from sync.models import (
    CampaignRemote,
    CampaignSyncState,
    JobState,
    Operation,
    SyncJob,
)

logger = logging.getLogger(__name__)

# Celery countdowns longer than this are left to the sweeper: a long ETA sits in the
# broker and, on Redis, is redelivered after the visibility timeout.
MAX_COUNTDOWN_SECONDS = 600
# A due job that was handed to Celery this recently is not handed again by the sweeper.
REENQUEUE_AFTER_SECONDS = 60
# A vendor answering nonsense is usually a deploy on their side: retried this many times.
PROTOCOL_MAX_ATTEMPTS = 3


def _publish(job_id: int, countdown: float = 0) -> None:
    from sync.tasks import sync_job_run

    if countdown > MAX_COUNTDOWN_SECONDS:
        return  # the sweeper hands it over when it is due
    sync_job_run.apply_async((job_id,), countdown=max(0.0, countdown))


def _publish_on_commit(job_id: int, countdown: float = 0) -> None:
    transaction.on_commit(lambda: _publish(job_id, countdown))


def _account_is_failing(account) -> bool:
    return account is not None and account.health_ok is False


def sync_job_enqueue(
    *,
    account,
    operation: str,
    campaign,
    lead_id: int | None = None,
    lead_list_id: int | None = None,
    payload: dict | None = None,
    reason: str = "",
    dedupe_key: str = "",
    max_attempts: int | None = None,
) -> SyncJob:
    """Write a job in the caller's transaction and hand its id to Celery after commit.

    With a ``dedupe_key``, a job already waiting with that key is returned instead (its
    reason extended), so saving a campaign five times queues one sync. Jobs of an account
    marked failing are written held: they run once the account is fixed."""
    with transaction.atomic():
        if dedupe_key:
            waiting = (
                SyncJob.objects.select_for_update()
                .filter(dedupe_key=dedupe_key, state__in=(JobState.PENDING, JobState.HELD))
                .first()
            )
            if waiting is not None:
                return _merge_reason(waiting, reason)
        held = _account_is_failing(account)
        job = SyncJob(
            account=account,
            operation=operation,
            campaign=campaign,
            lead_id=lead_id,
            lead_list_id=lead_list_id,
            payload=payload or {},
            reason=reason[:300],
            state=JobState.HELD if held else JobState.PENDING,
            last_error=_held_message(account) if held else "",
            max_attempts=max_attempts or settings.SYNC_MAX_ATTEMPTS,
            not_before=timezone.now(),
            enqueued_at=None if held else timezone.now(),
            dedupe_key=dedupe_key,
        )
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # Another transaction queued the same key between our read and write.
            return SyncJob.objects.get(
                dedupe_key=dedupe_key, state__in=(JobState.PENDING, JobState.HELD)
            )
    if not held:
        _publish_on_commit(job.pk)
    return job


def _merge_reason(job: SyncJob, reason: str) -> SyncJob:
    if reason and reason not in job.reason:
        job.reason = f"{job.reason}; {reason}"[:300] if job.reason else reason[:300]
        job.save(update_fields=["reason", "updated_at"])
    return job


def _held_message(account) -> str:
    detail = f": {account.health_message}" if account.health_message else ""
    return (
        f"Held: the vendor account “{account.name}” failed its last check{detail}. "
        "Fix its credentials (or test the connection); held jobs then run."
    )


# --- claiming ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    job: SyncJob
    token: str


def sync_job_claim(*, job_id: int, worker_id: str) -> Claim | None:
    """Take a due pending job for this worker, or None when it is not due, already
    taken, finished, or (for a campaign job) another job of the campaign is running."""
    now = timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        job = SyncJob.objects.filter(pk=job_id).only("campaign_id", "operation").first()
        if job is None:
            return None
        if job.operation == Operation.CAMPAIGN_SYNC:
            remote, _ = CampaignRemote.objects.get_or_create(campaign_id=job.campaign_id)
            CampaignRemote.objects.select_for_update().filter(pk=remote.pk).first()
            busy = SyncJob.objects.filter(
                campaign_id=job.campaign_id,
                operation=Operation.CAMPAIGN_SYNC,
                state=JobState.RUNNING,
            ).exists()
            if busy:
                return None
        claimed = SyncJob.objects.filter(
            pk=job_id, state=JobState.PENDING, not_before__lte=now
        ).update(
            state=JobState.RUNNING,
            started_at=now,
            heartbeat_at=now,
            worker_id=worker_id[:200],
            claim_token=token,
        )
    if not claimed:
        return None
    return Claim(
        job=SyncJob.objects.select_related("account", "campaign").get(pk=job_id), token=token
    )


def sync_job_heartbeat(*, claim: Claim) -> bool:
    """Record that the run is alive; False when the job is no longer this run's (it was
    swept back as stale), in which case the run must stop without sending anything."""
    return bool(
        SyncJob.objects.filter(
            pk=claim.job.pk, state=JobState.RUNNING, claim_token=claim.token
        ).update(heartbeat_at=timezone.now())
    )


def _owned(claim: Claim):
    return SyncJob.objects.filter(pk=claim.job.pk, state=JobState.RUNNING, claim_token=claim.token)


# --- after a run -------------------------------------------------------------------------


def sync_job_done(*, claim: Claim, more: bool = False, note: str = "") -> None:
    """Finish the run. ``more``: the job did a slice of its work and goes back to the
    queue at once (a long push gives way to other jobs between slices)."""
    now = timezone.now()
    with transaction.atomic():
        if more:
            updated = _owned(claim).update(
                state=JobState.PENDING,
                attempts=0,
                not_before=now,
                enqueued_at=now,
                started_at=None,
                worker_id="",
                claim_token="",
                last_error=note,
                needs_attention=False,
            )
        else:
            updated = _owned(claim).update(
                state=JobState.DONE,
                finished_at=now,
                last_error=note,
                needs_attention=False,
                dedupe_key="",
            )
        if updated and more:
            _publish_on_commit(claim.job.pk)
        if updated and not more:
            sync_jobs_supersede_failures(job=claim.job)
            _publish_next_for_campaign(claim.job)


def sync_jobs_supersede_failures(*, job: SyncJob) -> int:
    """``job`` did its work: earlier failures of the same work (same operation, campaign
    and lead) no longer need a person, so their Retry and the home page's "need
    attention" go. Their error stays, with a note of what superseded it. Returns how
    many were cleared."""
    if job.operation == Operation.WEBHOOK_DELIVERY:
        return 0  # each delivery is its own work: one delivered supersedes no other
    note = f" (Superseded: job #{job.pk} did the same work successfully.)"
    return SyncJob.objects.filter(
        campaign_id=job.campaign_id,
        operation=job.operation,
        lead_id=job.lead_id,
        state=JobState.FAILED,
        needs_attention=True,
        pk__lt=job.pk,
    ).update(needs_attention=False, last_error=Concat(F("last_error"), Value(note)))


def _publish_next_for_campaign(job: SyncJob) -> None:
    """A campaign job that waited because this one ran can go now."""
    if job.operation != Operation.CAMPAIGN_SYNC:
        return
    waiting = (
        SyncJob.objects.filter(
            campaign_id=job.campaign_id,
            operation=Operation.CAMPAIGN_SYNC,
            state=JobState.PENDING,
            not_before__lte=timezone.now(),
        )
        .values_list("pk", flat=True)
        .first()
    )
    if waiting:
        _publish_on_commit(waiting)


def retry_delay_seconds(*, attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff from SYNC_RETRY_BASE_SECONDS, capped, with "equal jitter" (half
    the delay fixed, half random) so retries of many jobs spread out; never sooner than
    the vendor's Retry-After."""
    ceiling = min(
        settings.SYNC_RETRY_MAX_SECONDS,
        settings.SYNC_RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1)),
    )
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    return max(delay, retry_after or 0.0)


def sync_job_retry_later(
    *, claim: Claim, message: str, retry_after: float | None, protocol: bool = False
) -> SyncJob:
    """A temporary failure: back off, or fail for good once the attempts are used up."""
    job = SyncJob.objects.get(pk=claim.job.pk)
    attempts = job.attempts + 1
    limit = min(job.max_attempts, PROTOCOL_MAX_ATTEMPTS) if protocol else job.max_attempts
    if attempts >= limit:
        return sync_job_fail(
            claim=claim, message=f"Gave up after {attempts} attempts. Last error: {message}"
        )
    delay = retry_delay_seconds(attempts=attempts, retry_after=retry_after)
    now = timezone.now()
    with transaction.atomic():
        updated = _owned(claim).update(
            state=JobState.PENDING,
            attempts=attempts,
            not_before=now + timedelta(seconds=delay),
            enqueued_at=now,
            started_at=None,
            worker_id="",
            claim_token="",
            last_error=f"{message} (attempt {attempts} of {limit}; retrying in {delay:.0f} s)",
        )
        if updated:
            _publish_on_commit(claim.job.pk, countdown=delay)
    return SyncJob.objects.get(pk=claim.job.pk)


def sync_job_fail(*, claim: Claim, message: str) -> SyncJob:
    """A permanent failure: stop, keep the readable error, flag for a person."""
    _owned(claim).update(
        state=JobState.FAILED,
        finished_at=timezone.now(),
        last_error=message,
        needs_attention=True,
        dedupe_key="",
    )
    return SyncJob.objects.get(pk=claim.job.pk)


def sync_job_hold_account(*, claim: Claim | None, account, message: str) -> int:
    """A configuration failure: mark the account failing and hold every job of it that
    waits (and this run's job) until the account is fixed. Returns how many were held."""
    from vendors.models import VendorAccount

    now = timezone.now()
    with transaction.atomic():
        VendorAccount.objects.filter(pk=account.pk).update(
            health_ok=False, health_message=message[:500], health_checked_at=now
        )
        account.refresh_from_db(fields=["health_ok", "health_message", "health_checked_at"])
        held_message = _held_message(account)
        if claim is not None:
            _owned(claim).update(
                state=JobState.HELD,
                started_at=None,
                worker_id="",
                claim_token="",
                last_error=held_message,
                needs_attention=True,
            )
        count = SyncJob.objects.filter(account=account, state=JobState.PENDING).update(
            state=JobState.HELD, last_error=held_message, needs_attention=True
        )
        CampaignRemote.objects.filter(
            campaign__sync_jobs__account=account, campaign__sync_jobs__state=JobState.HELD
        ).update(state=CampaignSyncState.OUT_OF_SYNC, last_error=held_message)
    return count + (1 if claim is not None else 0)


# --- people's actions --------------------------------------------------------------------


def sync_jobs_release_for_account(*, account) -> int:
    """Put the account's held jobs back in the queue: call this when its credentials were
    saved again or a connection test passed. Returns how many were released."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            SyncJob.objects.filter(account=account, state=JobState.HELD).values_list(
                "pk", flat=True
            )
        )
        _release(ids, now)
    return len(ids)


def _release(ids: list[int], now: datetime) -> None:
    for job_id in ids:
        try:
            with transaction.atomic():
                SyncJob.objects.filter(pk=job_id, state=JobState.HELD).update(
                    state=JobState.PENDING,
                    attempts=0,
                    not_before=now,
                    enqueued_at=now,
                    last_error="",
                    needs_attention=False,
                )
        except IntegrityError:
            # The same work was queued again meanwhile: the waiting job covers it.
            SyncJob.objects.filter(pk=job_id).update(
                state=JobState.DONE, finished_at=now, dedupe_key="", last_error="Merged."
            )
            continue
        _publish_on_commit(job_id)


def sync_job_retry(*, job: SyncJob) -> SyncJob:
    """The Retry button: a failed or held job goes back in the queue now. A held job's
    account is trusted again (the person says it is fixed); if it is not, the next run
    holds it again with the vendor's words."""
    from dialer_console.errors import ApplicationError

    if not job.retryable:
        raise ApplicationError(
            gettext("Only a failed or held job can be retried; this one is %(value)s.")
            % {"value": job.get_state_display().lower()}
        )
    now = timezone.now()
    with transaction.atomic():
        if job.state == JobState.HELD and job.account.health_ok is False:
            from vendors.models import VendorAccount

            VendorAccount.objects.filter(pk=job.account_id).update(health_ok=None)
        key = job.dedupe_key or _dedupe_key_for(job)
        waiting = SyncJob.objects.filter(
            dedupe_key=key, state__in=(JobState.PENDING, JobState.HELD)
        )
        if key and waiting.exclude(pk=job.pk).exists():
            raise ApplicationError(gettext("The same work is already queued; it will run shortly."))
        SyncJob.objects.filter(pk=job.pk).update(
            state=JobState.PENDING,
            attempts=0,
            not_before=now,
            enqueued_at=now,
            finished_at=None,
            needs_attention=False,
            dedupe_key=key,
        )
        if job.operation == Operation.CAMPAIGN_SYNC:
            CampaignRemote.objects.filter(campaign_id=job.campaign_id).update(
                state=CampaignSyncState.SYNCING
            )
        _publish_on_commit(job.pk)
    job.refresh_from_db()
    return job


def _dedupe_key_for(job: SyncJob) -> str:
    if job.operation in (Operation.CAMPAIGN_SYNC, Operation.PENDING_REFRESH):
        return f"{job.operation}:{job.campaign_id}"
    return ""


# --- the sweeper -------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    unstuck: int
    published: int
    released: int


def sync_jobs_sweep(*, now: datetime | None = None, check_accounts: bool = True) -> SweepResult:
    """Beat's sweep: put running jobs whose worker went silent back to pending, hand due
    jobs that are not in the broker to Celery, and release held jobs of accounts that are
    no longer marked failing (their credentials were saved again, or a test passed)."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.SYNC_STALE_AFTER_SECONDS)
    unstuck = SyncJob.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=stale_before).update(
        state=JobState.PENDING,
        not_before=now,
        enqueued_at=None,
        started_at=None,
        worker_id="",
        claim_token="",
        last_error="The worker running this job stopped answering; it was put back in the queue.",
    )
    released = _release_fixed_accounts(now, check_accounts=check_accounts)
    due = list(
        SyncJob.objects.filter(state=JobState.PENDING, not_before__lte=now)
        .filter(
            Q(enqueued_at__isnull=True)
            | Q(enqueued_at__lt=now - timedelta(seconds=REENQUEUE_AFTER_SECONDS))
        )
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)[:500]
    )
    if due:
        SyncJob.objects.filter(pk__in=due).update(enqueued_at=now)
        for job_id in due:
            _publish(job_id)
    return SweepResult(unstuck=unstuck, published=len(due), released=released)


def _release_fixed_accounts(now: datetime, *, check_accounts: bool) -> int:
    from vendors.models import VendorAccount

    released = 0
    account_ids = set(
        SyncJob.objects.filter(state=JobState.HELD).values_list("account_id", flat=True)
    )
    for account in VendorAccount.objects.filter(pk__in=account_ids):
        if account.health_ok is False and check_accounts and _recheck_due(account, now):
            account = _recheck(account)
        if account.health_ok is not False:
            released += sync_jobs_release_for_account(account=account)
    return released


# A failing account with held jobs is tested again this often by the sweeper.
RECHECK_EVERY_SECONDS = 300


def _recheck_due(account, now: datetime) -> bool:
    checked = account.health_checked_at
    return checked is None or (now - checked).total_seconds() >= RECHECK_EVERY_SECONDS


def _recheck(account):
    from vendors.services import vendor_account_test_connection

    try:
        vendor_account_test_connection(account=account)
    except Exception:  # a check that cannot run leaves the jobs held
        logger.exception("Re-checking vendor account %s failed", account.pk)
    account.refresh_from_db()
    return account
