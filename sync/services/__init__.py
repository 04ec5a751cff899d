"""Writes of the sync app. Other apps import from here: the hooks their services call
inside their own transaction, and the release the vendors app calls when an account is
fixed."""

from sync.services.actions import (
    sync_campaign_link,
    sync_failed_leads_requeue,
    sync_lead_terminate,
    sync_pending_refresh_all,
    sync_pending_refresh_enqueue,
    sync_reconcile_check_enqueue,
    sync_reconcile_repair_enqueue,
)
from sync.services.hooks import (
    sync_on_campaign_saved,
    sync_on_campaign_status_changed,
    sync_on_import_finished,
    sync_on_import_undone,
    sync_on_lead_dispositioned,
    sync_on_lead_list_attached,
    sync_on_lead_removed,
)
from sync.services.jobs import (
    sync_job_claim,
    sync_job_enqueue,
    sync_job_retry,
    sync_jobs_release_for_account,
    sync_jobs_sweep,
)
from sync.services.runner import sync_job_run

__all__ = [
    "sync_campaign_link",
    "sync_failed_leads_requeue",
    "sync_job_claim",
    "sync_job_enqueue",
    "sync_job_retry",
    "sync_job_run",
    "sync_jobs_release_for_account",
    "sync_jobs_sweep",
    "sync_lead_terminate",
    "sync_on_campaign_saved",
    "sync_on_campaign_status_changed",
    "sync_on_import_finished",
    "sync_on_import_undone",
    "sync_on_lead_dispositioned",
    "sync_on_lead_list_attached",
    "sync_on_lead_removed",
    "sync_pending_refresh_all",
    "sync_pending_refresh_enqueue",
    "sync_reconcile_check_enqueue",
    "sync_reconcile_repair_enqueue",
]
