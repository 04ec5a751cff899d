"""Which models the audit trail follows, and which of their fields.

django-auditlog records a row's create, change and delete from Django's model signals,
with the changed fields' old and new values. Counters a worker keeps (rows read, counts,
heartbeats) are left out: they change thousands of times an import and say nothing about
who changed what. Secrets are masked to "(secret)", so an entry says that a secret
changed, never its value. Leads themselves are not registered: their changes are recorded
set-based (``audit.lead_changes``), at a cost the import can afford.
"""

from __future__ import annotations

from django.apps import apps

SECRET = "(secret)"  # noqa: S105 (what a masked secret reads as, not one)
_KEPT = ("id", "created_at", "updated_at", "heartbeat_at")

# "app.Model" -> django-auditlog's register() options
AUDITED: dict[str, dict] = {
    "campaigns.Campaign": {"m2m_fields": {"agents"}},
    "campaigns.CampaignLeadList": {},
    "campaigns.Agent": {},
    "campaigns.AgentRemoteId": {},
    "campaigns.DispositionList": {},
    "campaigns.DispositionCode": {},
    "campaigns.PauseCodeList": {},
    "campaigns.PauseCode": {},
    "campaigns.CallingWindow": {},
    "campaigns.CallingWindowDay": {},
    "campaigns.CallingWindowHoliday": {},
    "vendors.VendorAccount": {
        "exclude_fields": ["health_checked_at", "health_ok", "health_message"],
        "mask_fields": ["credentials_encrypted"],
        "mask_callable": "audit.registry.secret_mask",
    },
    "leads.LeadList": {
        "exclude_fields": [
            "total_count",
            "valid_count",
            "invalid_count",
            "duplicate_count",
            "dnc_count",
        ]
    },
    "leads.ImportJob": {
        "include_fields": [
            "lead_list",
            "original_name",
            "state",
            "duplicate_policy",
            "duplicate_scope",
            "dnc_scrub",
            "default_country",
            "encoding",
            "delimiter",
            "has_header",
            "mapping",
            "imported_count",
            "updated_count",
            "undone_at",
        ]
    },
    "leads.DncEntry": {},
    "leads.DncFileJob": {
        "include_fields": [
            "original_name",
            "scope",
            "campaign_id",
            "lead_list",
            "reason",
            "expires_at",
            "state",
            "added_count",
            "renewed_count",
            "leads_marked_count",
        ]
    },
    "accounts.User": {
        "exclude_fields": ["last_login"],
        "mask_fields": ["password"],
        "mask_callable": "audit.registry.secret_mask",
        "m2m_fields": {"groups"},
    },
    "accounts.Team": {},
    "webhooks.WebhookEndpoint": {
        "exclude_fields": ["secret_rotated_at"],
        "mask_fields": ["secret_encrypted"],
        "mask_callable": "audit.registry.secret_mask",
    },
}


def secret_mask(value: str) -> str:
    """Both sides of a changed secret read the same: that it changed is all an entry says."""
    return SECRET


def audited_models() -> list:
    return [apps.get_model(label) for label in AUDITED]


def audit_register() -> None:
    from auditlog.registry import auditlog

    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if "include_fields" not in options:
            # The model's own columns only: on a create, django-auditlog reads every field
            # _meta lists, reverse one-to-ones too, and reading a missing one caches "none"
            # on the instance (``campaign.sync_remote`` then fails after the sync made it).
            # Ids and times the rows keep themselves are not changes anyone made.
            left_out = {*options.get("exclude_fields", ()), *_KEPT}
            columns = [f.name for f in model._meta.concrete_fields if f.name not in left_out]
            options = {**options, "include_fields": columns}
        auditlog.register(model, **options)
