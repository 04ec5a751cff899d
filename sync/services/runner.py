"""Running one claimed job, and turning what happened into the job's next state.

The vendor error ladder decides: temporary → back off and retry (honouring
Retry-After); protocol → a few retries, then flag; permanent (and ApplicationError: the
console cannot do it) → failed, needs attention; configuration → the account is marked
failing and all its waiting jobs are held until it is fixed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.utils import timezone

from dialer_console.errors import ApplicationError
from sync.models import CampaignSyncState, JobState, Operation
from sync.services.adapters import sync_adapter
from sync.services.campaign_jobs import campaign_sync_run
from sync.services.jobs import (
    Claim,
    sync_job_claim,
    sync_job_done,
    sync_job_fail,
    sync_job_heartbeat,
    sync_job_hold_account,
    sync_job_retry_later,
)
from sync.services.lead_jobs import (
    lead_call_result_run,
    lead_remove_run,
    lead_schedule_call_run,
    lead_terminate_run,
)
from sync.services.pending import pending_refresh_failed, pending_refresh_run
from sync.services.push import RunAborted
from sync.services.reconcile import (
    reconcile_check_failed,
    reconcile_check_run,
    reconcile_repair_run,
)
from sync.services.remote import campaign_remote_mark
from sync.services.results import results_pull_run
from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.services import vendor_account_health_from_calls, vendor_account_receiving_url

logger = logging.getLogger(__name__)

# A run beats at most this often. Each beat is a database write, which on the one-lead
# push path cost about a tenth of a request. Only the sweep takes a running job back, and
# only after SYNC_STALE_AFTER_SECONDS (minutes) without a beat, so a job that beat less
# than this long ago cannot have been taken over: skipping the check then misses nothing.
HEARTBEAT_EVERY_SECONDS = 1.0


def still_mine_check(claim: Claim) -> Callable[[], bool]:
    """The run's "is this job still mine?" check, called before each batch: it writes
    the heartbeat (and learns whether the job was swept away) at most once a
    HEARTBEAT_EVERY_SECONDS."""
    last_beat = -HEARTBEAT_EVERY_SECONDS

    def check() -> bool:
        nonlocal last_beat
        now = time.monotonic()
        if now - last_beat < HEARTBEAT_EVERY_SECONDS:
            return True
        if not sync_job_heartbeat(claim=claim):
            return False
        last_beat = now
        return True

    return check


def _run_operation(claim: Claim, adapter) -> tuple[bool, str]:
    job = claim.job
    if job.operation == Operation.CAMPAIGN_SYNC:
        return campaign_sync_run(
            adapter=adapter,
            campaign=job.campaign,
            still_mine=still_mine_check(claim),
        )
    if job.operation == Operation.PENDING_REFRESH:
        return False, pending_refresh_run(adapter=adapter, campaign=job.campaign)
    if job.operation == Operation.RECONCILE_CHECK:
        return False, reconcile_check_run(adapter=adapter, campaign=job.campaign)
    if job.operation == Operation.RESULTS_PULL:
        return False, results_pull_run(
            adapter=adapter,
            campaign=job.campaign,
            callback_url=vendor_account_receiving_url(account=job.account, with_secret=True),
        )
    if job.operation == Operation.RECONCILE_REPAIR:
        return reconcile_repair_run(adapter=adapter, job=job, still_mine=still_mine_check(claim))
    handlers = {
        Operation.LEAD_REMOVE: lead_remove_run,
        Operation.LEAD_CALL_RESULT: lead_call_result_run,
        Operation.LEAD_TERMINATE: lead_terminate_run,
        Operation.LEAD_SCHEDULE_CALL: lead_schedule_call_run,
    }
    return False, handlers[job.operation](adapter=adapter, job=job)


def sync_job_run(*, job_id: int, worker_id: str) -> str:
    """Claim and run one job; return what became of it (for the task's log line)."""
    claim = sync_job_claim(job_id=job_id, worker_id=worker_id)
    if claim is None:
        return "not claimed"
    job = claim.job
    if job.operation == Operation.WEBHOOK_DELIVERY:
        # No dialer: the webhooks app sends it, through this job's retries and backoff.
        from webhooks.services.deliver import webhook_delivery_run

        return webhook_delivery_run(claim=claim)
    claim_started = timezone.now()
    campaign_job = job.operation == Operation.CAMPAIGN_SYNC
    if campaign_job:
        campaign_remote_mark(campaign_id=job.campaign_id, state=CampaignSyncState.SYNCING)
    adapter = None
    try:
        adapter = sync_adapter(account=job.account)
        with _vendor_words_redacted(adapter):
            more, note = _run_operation(claim, adapter)
        # A repair changes what the dialer holds as much as a sync does.
        if (campaign_job or job.operation == Operation.RECONCILE_REPAIR) and not more:
            _pending_refresh_after_sync(job, adapter)
    except RunAborted:
        return "aborted: the job was taken over"
    except VendorConfigurationError as exc:
        sync_job_hold_account(claim=claim, account=job.account, message=str(exc))
        campaign_remote_mark(
            campaign_id=job.campaign_id, state=CampaignSyncState.OUT_OF_SYNC, error=str(exc)
        )
        return "held"
    except VendorProtocolError as exc:
        return _retry(claim, str(exc), None, protocol=True)
    except VendorTemporaryError as exc:
        return _retry(claim, str(exc), exc.retry_after)
    except (VendorPermanentError, ApplicationError) as exc:
        message = exc.message
        sync_job_fail(claim=claim, message=message)
        _after_failure(job, message)
        return "failed"
    except Exception as exc:
        logger.exception("Sync job %s crashed", job_id)
        return _retry(claim, f"Internal error ({type(exc).__name__}); see the worker log.", None)
    finally:
        if adapter is not None:
            adapter.client.close()
    sync_job_done(claim=claim, more=more, note=note)
    vendor_account_health_from_calls(account=job.account, since=claim_started, job_id=job.pk)
    if campaign_job:
        state = CampaignSyncState.SYNCING if more else CampaignSyncState.IN_SYNC
        campaign_remote_mark(campaign_id=job.campaign_id, state=state)
    return "more" if more else "done"


@contextmanager
def _vendor_words_redacted(adapter: BaseAdapter):
    """A vendor error's message carries the dialer's own words, which may echo a
    credential back: mask it before it becomes a job's error or a campaign's."""
    try:
        yield
    except VendorError as exc:
        exc.message = adapter.redact(exc.message)
        exc.vendor_message = adapter.redact(exc.vendor_message or "")
        raise


def _pending_refresh_after_sync(job, adapter) -> None:
    """A finished campaign sync changed what the dialer holds: count its pending calls now,
    not at the next periodic refresh, so the page shows them within seconds. Best effort:
    a failed count is the periodic refresh's to report, never the push's failure."""
    try:
        pending_refresh_run(adapter=adapter, campaign=job.campaign)
    except VendorError as exc:
        logger.info("Pending count after syncing campaign %s failed: %s", job.campaign_id, exc)


def _retry(claim: Claim, message: str, retry_after: float | None, protocol: bool = False) -> str:
    job = sync_job_retry_later(
        claim=claim, message=message, retry_after=retry_after, protocol=protocol
    )
    if job.state == JobState.FAILED:
        _after_failure(job, job.last_error)
        return "failed"
    if job.operation == Operation.CAMPAIGN_SYNC:
        campaign_remote_mark(
            campaign_id=job.campaign_id, state=CampaignSyncState.SYNCING, error=job.last_error
        )
    return "retrying"


def _after_failure(job, message: str) -> None:
    if job.operation == Operation.PENDING_REFRESH:
        pending_refresh_failed(campaign=job.campaign, message=message)
        return
    if job.operation == Operation.RECONCILE_CHECK:
        # A comparison that could not be made says nothing about the dialer's copy.
        reconcile_check_failed(campaign=job.campaign, message=message)
        return
    state = (
        CampaignSyncState.FAILED
        if job.operation == Operation.CAMPAIGN_SYNC
        else CampaignSyncState.OUT_OF_SYNC
    )
    prefix = "" if job.operation == Operation.CAMPAIGN_SYNC else f"{job.get_operation_display()}: "
    campaign_remote_mark(campaign_id=job.campaign_id, state=state, error=prefix + message)
