"""Writes to campaigns and what they are built from. One service per change, each in one
transaction, so the sync outbox can add its ``SyncJob`` row inside it. Split by subject;
everything is importable from here."""

from campaigns.services.bulk import (
    BULK_CAMPAIGN_ACTIONS,
    BulkCampaignResult,
    bulk_campaign_action,
    campaigns_bulk_transition,
)
from campaigns.services.campaigns import (
    CAMPAIGN_FIELDS,
    LeadListLink,
    campaign_clone,
    campaign_create,
    campaign_delete,
    campaign_lead_list_attach,
    campaign_lead_list_detach,
    campaign_transition,
    campaign_update,
)
from campaigns.services.dispositions import campaign_lead_disposition_record
from campaigns.services.library import (
    agent_delete,
    agent_save,
    calling_window_delete,
    calling_window_save,
    disposition_list_delete,
    disposition_list_save,
    pause_code_list_delete,
    pause_code_list_save,
)

__all__ = [
    "BULK_CAMPAIGN_ACTIONS",
    "BulkCampaignResult",
    "bulk_campaign_action",
    "campaigns_bulk_transition",
    "CAMPAIGN_FIELDS",
    "LeadListLink",
    "agent_delete",
    "agent_save",
    "calling_window_delete",
    "calling_window_save",
    "campaign_clone",
    "campaign_create",
    "campaign_delete",
    "campaign_lead_disposition_record",
    "campaign_lead_list_attach",
    "campaign_lead_list_detach",
    "campaign_transition",
    "campaign_update",
    "disposition_list_delete",
    "disposition_list_save",
    "pause_code_list_delete",
    "pause_code_list_save",
]
