"""Every text column of every model, declared either personal (with how an erasure
handles it) or not personal (with why). ``tests/privacy/test_registry.py`` walks
``apps.get_models()`` and fails on a Char/Text/JSON/e-mail/address/file column in
neither, so a new field cannot be missed.

How a personal column is erased:
- CLEARED: the lead's own fields, emptied on the lead row. The row stays (status
  "removed"): list counts, results and call-attempt figures count it.
- DELETED: rows that exist only because of the person are deleted (the counts they fed
  are stored apart: an import's and a DNC file's counts are columns of the job).
- SCRUBBED: logs and free text. Every occurrence of the number (E.164, its digits, its
  national digits) or the e-mail address is replaced by ``ERASED``; the rest of the row
  stays. ``privacy.services`` scrubs each SCRUBBED column generically.
- PURGED: stored upload files, deleted UPLOAD_RETENTION_DAYS after their job finished
  (a file cannot be edited; until then it still holds the person, stated on the page).
"""

from __future__ import annotations

CLEARED = "cleared"
DELETED = "deleted"
SCRUBBED = "scrubbed"
PURGED = "purged"

ERASED = "(erased)"

PERSONAL_FIELDS: dict[str, str] = {
    # The person's lead: every personal field, custom fields included. The number is
    # blanked once no dialer holds the lead (privacy.models.ErasureHold).
    "leads.Lead.phone": CLEARED,
    "leads.Lead.alternate_phones": CLEARED,
    "leads.Lead.first_name": CLEARED,
    "leads.Lead.last_name": CLEARED,
    "leads.Lead.email": CLEARED,
    "leads.Lead.timezone": CLEARED,
    "leads.Lead.custom_fields": CLEARED,
    # An agent's note on one of the person's calls.
    "campaigns.LeadDisposition.note": CLEARED,
    # Rows of a running import holding the person.
    "leads.ImportStagingRow.phone": DELETED,
    "leads.ImportStagingRow.alternate_phones": DELETED,
    "leads.ImportStagingRow.first_name": DELETED,
    "leads.ImportStagingRow.last_name": DELETED,
    "leads.ImportStagingRow.email": DELETED,
    "leads.ImportStagingRow.timezone": DELETED,
    "leads.ImportStagingRow.custom_fields": DELETED,
    "leads.ImportRejection.detail": DELETED,
    # The person's do-not-call listings (replaced by one hashed listing when asked for,
    # and always when they had one).
    "leads.DncEntry.phone": DELETED,
    "leads.DncEntry.reason": DELETED,
    "leads.DncEntry.source": DELETED,
    "leads.DncFileLine.text": DELETED,
    "leads.DncFileLine.phone": DELETED,
    "leads.DncFileLine.detail": DELETED,
    # The per-lead history holds the lead's old values.
    "audit.LeadChange.before": DELETED,
    "audit.LeadChange.after": DELETED,
    # Logs and free text that may quote the number or the address.
    "leads.ImportJob.header": SCRUBBED,  # a file without a header row: its first row
    "leads.ImportJob.error_message": SCRUBBED,
    "leads.DncFileJob.phone_column_name": SCRUBBED,
    "leads.DncFileJob.error_message": SCRUBBED,
    "leads.LeadBulkRun.filters": SCRUBBED,  # a search by number
    "leads.LeadBulkRun.description": SCRUBBED,
    "leads.LeadBulkRun.error_message": SCRUBBED,
    "leads.LeadBulkRun.skipped_reasons": SCRUBBED,
    "results.InboundEvent.event_id": SCRUBBED,
    "results.InboundEvent.body": SCRUBBED,
    "results.InboundEvent.error": SCRUBBED,
    "results.LeadResult.last_result_raw": SCRUBBED,
    "results.CallAttempt.result_raw": SCRUBBED,
    "results.CallAttempt.vendor_event_id": SCRUBBED,
    "sync.SyncJob.payload": SCRUBBED,
    "sync.SyncJob.reason": SCRUBBED,
    "sync.SyncJob.last_error": SCRUBBED,
    "sync.SyncJob.dedupe_key": SCRUBBED,
    "sync.LeadSync.remote_id": SCRUBBED,  # Voicenter and Ozonetel know a lead by number
    "sync.LeadSync.reason": SCRUBBED,
    "sync.CampaignRemote.last_error": SCRUBBED,
    "sync.CampaignRemote.pending_error": SCRUBBED,
    "sync.CampaignRemote.drift_note": SCRUBBED,
    "vendors.VendorCall.url": SCRUBBED,
    "vendors.VendorCall.request_excerpt": SCRUBBED,
    "vendors.VendorCall.response_excerpt": SCRUBBED,
    "vendors.VendorCall.error": SCRUBBED,
    "vendors.VendorAccount.health_message": SCRUBBED,
    "auditlog.LogEntry.object_pk": SCRUBBED,
    "auditlog.LogEntry.object_repr": SCRUBBED,
    "auditlog.LogEntry.serialized_data": SCRUBBED,
    "auditlog.LogEntry.changes_text": SCRUBBED,
    "auditlog.LogEntry.changes": SCRUBBED,
    "auditlog.LogEntry.additional_data": SCRUBBED,
    "admin.LogEntry.object_id": SCRUBBED,
    "admin.LogEntry.object_repr": SCRUBBED,
    "admin.LogEntry.change_message": SCRUBBED,
    # CRM webhook events quote the lead; an endpoint's reply may echo it.
    "webhooks.WebhookEvent.data": SCRUBBED,
    "webhooks.WebhookDelivery.response_excerpt": SCRUBBED,
    "webhooks.WebhookDelivery.error": SCRUBBED,
    # Upload files.
    "leads.ImportJob.file": PURGED,
    "leads.DncFileJob.file": PURGED,
}

# Columns that hold no lead's personal data, and why. A whole model when none of its
# columns can (a framework's own tables); otherwise column by column.
STAFF = (
    "a console user's or agent's own data (staff, not a called person): users are "
    "deactivated, not erased here"
)
CONFIG = "configuration, codes and names the console's staff chose"
STATE = "a state, code, kind or count the console or a dialer sets"

NOT_PERSONAL: dict[str, str] = {
    "auth.Permission": CONFIG,
    "auth.Group": CONFIG,
    "contenttypes.ContentType": CONFIG,
    "sessions.Session": STAFF,
    "knox.AuthToken": STAFF,
    "django_celery_beat.SolarSchedule": CONFIG,
    "django_celery_beat.IntervalSchedule": CONFIG,
    "django_celery_beat.CrontabSchedule": CONFIG,
    "django_celery_beat.PeriodicTask": CONFIG,
    "django_celery_beat.ClockedSchedule": CONFIG,
    "axes.AccessFailureLog": STAFF,
    "axes.AccessAttempt": STAFF,
    "axes.AccessLog": STAFF,
    "dialer_console.WorkerHeartbeat": STATE,
    "accounts.Team": CONFIG,
    "accounts.User": STAFF,
    "vendors.SandboxState": "the sandbox emulators' state (development only)",
    "leads.LeadList": CONFIG,
    "leads.MappingTemplate": CONFIG,
    "leads.DncHashedEntry": "a keyed hash of a number: it cannot be read back (leads.dnc_hashed)",
    "campaigns.Agent": STAFF,
    "campaigns.AgentRemoteId": STAFF,
    "campaigns.DispositionList": CONFIG,
    "campaigns.DispositionCode": CONFIG,
    "campaigns.PauseCodeList": CONFIG,
    "campaigns.PauseCode": CONFIG,
    "campaigns.CallingWindow": CONFIG,
    "campaigns.CallingWindowHoliday": CONFIG,
    "campaigns.ListRemoteId": CONFIG,
    "campaigns.Campaign": CONFIG,
    "sync.PushCounts": STATE,
    "sync.PendingSnapshot": STATE,
    "results.ResultCodeMapping": CONFIG,
    "webhooks.WebhookEndpoint": CONFIG,
    # Kept result counts: a figure, a day, a dialer result code and, for the agent figure,
    # the agent's name as the dialer reports it (staff, not a called person).
    "results.ResultCount": STATE,
    "results.ResultCountsState": STATE,
    "results.RecycleRule": CONFIG,
    "results.LeadRecycle.match_kind": STATE,
    "results.LeadRecycle.match_code": STATE,
    "results.Callback.state": STATE,
    "results.Callback.via": STATE,
    "webhooks.WebhookEvent.event_id": STATE,
    "webhooks.WebhookEvent.type": STATE,
    "webhooks.WebhookDelivery.state": STATE,
    "privacy.PersonErasure": "who erased and how many rows: never whom",
    "privacy.ErasureHold": STATE,
    "leads.Lead.status": STATE,
    "leads.ImportJob.original_name": "the uploaded file's name, chosen by staff",
    "leads.ImportJob.file_format": STATE,
    "leads.ImportJob.detected_encoding": STATE,
    "leads.ImportJob.encoding": STATE,
    "leads.ImportJob.detected_delimiter": STATE,
    "leads.ImportJob.delimiter": STATE,
    "leads.ImportJob.mapping": CONFIG,
    "leads.ImportJob.default_country": CONFIG,
    "leads.ImportJob.duplicate_policy": CONFIG,
    "leads.ImportJob.duplicate_scope": CONFIG,
    "leads.ImportJob.state": STATE,
    "leads.ImportJob.phase": STATE,
    "leads.ImportRejection.reason": STATE,
    "leads.ImportStagingRow.outcome": STATE,
    "leads.DncEntry.scope": STATE,
    "leads.DncFileJob.original_name": "the uploaded file's name, chosen by staff",
    "leads.DncFileJob.file_format": STATE,
    "leads.DncFileJob.encoding": STATE,
    "leads.DncFileJob.delimiter": STATE,
    "leads.DncFileJob.country": CONFIG,
    "leads.DncFileJob.scope": STATE,
    "leads.DncFileJob.reason": CONFIG,
    "leads.DncFileJob.state": STATE,
    "leads.DncFileLine.outcome": STATE,
    "leads.LeadBulkRun.action": STATE,
    "leads.LeadBulkRun.source": STATE,
    "leads.LeadBulkRun.lead_ids": "lead ids: the leads themselves are erased",
    "leads.LeadBulkRun.state": STATE,
    "leads.LeadBulkRun.lead_list_ids": STATE,
    "leads.LeadBulkRun.campaign_ids": STATE,
    "campaigns.LeadDisposition.code": STATE,
    "campaigns.LeadDisposition.label": CONFIG,
    "results.LeadResult.last_result_code": STATE,
    "results.LeadResult.agent": STAFF,
    "results.LeadResult.source": STATE,
    "results.CallAttempt.result_code": STATE,
    "results.CallAttempt.agent": STAFF,
    "results.CallAttempt.source": STATE,
    "results.InboundEvent.remote_address": "the dialer's address, not the person's",
    "sync.SyncJob.operation": STATE,
    "sync.SyncJob.state": STATE,
    "sync.SyncJob.worker_id": STATE,
    "sync.SyncJob.claim_token": STATE,
    "sync.CampaignRemote.remote_ref": STATE,
    "sync.CampaignRemote.spec_digest": STATE,
    "sync.CampaignRemote.remote_status": STATE,
    "sync.CampaignRemote.state": STATE,
    "sync.CampaignRemote.pending_state": STATE,
    "sync.CampaignRemote.drift_settings": CONFIG,
    "sync.LeadSync.state": STATE,
    "sync.LeadSync.batch": STATE,
    "vendors.VendorAccount.name": CONFIG,
    "vendors.VendorAccount.kind": CONFIG,
    "vendors.VendorAccount.base_url": CONFIG,
    "vendors.VendorAccount.credentials_encrypted": CONFIG,
    "vendors.VendorAccount.options": CONFIG,
    "vendors.VendorAccount.receiving_token": CONFIG,
    "vendors.VendorAccount.receiving_secret_encrypted": CONFIG,
    "vendors.VendorCall.vendor_kind": STATE,
    "vendors.VendorCall.operation": STATE,
    "vendors.VendorCall.method": STATE,
    "audit.LeadChange.kind": STATE,
    "audit.LeadChange.door": STATE,
    "auditlog.LogEntry.cid": STATE,
    "auditlog.LogEntry.remote_addr": STAFF,
    "auditlog.LogEntry.actor_email": STAFF,
}


def personal_fields(kind: str) -> dict[str, list[str]]:
    """ "app.Model" -> its columns erased by ``kind``."""
    by_model: dict[str, list[str]] = {}
    for key, how in PERSONAL_FIELDS.items():
        if how == kind:
            model, field = key.rsplit(".", 1)
            by_model.setdefault(model, []).append(field)
    return by_model
