from campaigns.views.bulk import campaigns_bulk
from campaigns.views.campaigns import (
    campaign_action,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
    campaign_validate_field,
    campaign_vendor_fieldset,
)
from campaigns.views.leads import campaign_lead_disposition, campaign_leads
from campaigns.views.library import (
    agent_delete,
    agent_edit,
    agent_list,
    calling_window_delete,
    calling_window_edit,
    calling_window_list,
    disposition_list_delete,
    disposition_list_edit,
    disposition_list_list,
    pause_code_list_delete,
    pause_code_list_edit,
    pause_code_list_list,
)
from campaigns.views.result_codes import campaign_result_codes
from campaigns.views.vendor_tools import campaign_vendor_choices, campaign_vendor_test

__all__ = [
    "agent_delete",
    "agent_edit",
    "agent_list",
    "calling_window_delete",
    "calling_window_edit",
    "calling_window_list",
    "campaign_action",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_lead_disposition",
    "campaign_leads",
    "campaign_list",
    "campaign_result_codes",
    "campaign_validate_field",
    "campaign_vendor_choices",
    "campaign_vendor_fieldset",
    "campaign_vendor_test",
    "campaigns_bulk",
    "disposition_list_delete",
    "disposition_list_edit",
    "disposition_list_list",
    "pause_code_list_delete",
    "pause_code_list_edit",
    "pause_code_list_list",
]
