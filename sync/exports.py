"""The sync jobs as a download, by the console's one export writer
(``dialer_console.exports``), read by keyset chunks."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from dialer_console.exports import Table, keyset_chunks

SYNC_JOB_EXPORT_HEADER = [
    "job_id", "campaign_id", "campaign", "vendor_account", "operation", "state",
    "attempts", "reason", "last_error", "needs_attention", "not_before", "created_at",
    "updated_at", "finished_at",
]  # fmt: skip


def sync_jobs_table(*, jobs) -> Table:
    """The sync jobs of ``jobs`` (already scoped and filtered), oldest first."""
    return Table(
        f"sync-jobs-{timezone.localdate():%Y-%m-%d}", SYNC_JOB_EXPORT_HEADER, _job_rows(jobs)
    )


def _job_rows(jobs) -> Iterator[list]:
    for chunk in keyset_chunks(jobs.select_related("account", "campaign")):
        for job in chunk:
            yield [
                job.pk,
                job.campaign_id,
                job.campaign.name,
                job.account.name,
                job.get_operation_display(),
                job.get_state_display(),
                job.attempts,
                job.reason,
                job.last_error,
                job.needs_attention,
                job.not_before,
                job.created_at,
                job.updated_at,
                job.finished_at,
            ]
