"""The vendor operations the adapters perform, in words: the call log writes each
exchange's operation code, and its filter and rows show these names with the code
beside. An adapter lists its own fixed set in ``BaseAdapter.operations``; every code in
a set has its name here (tests/vendors/test_operations.py)."""

from __future__ import annotations

OPERATION_NAMES: dict[str, str] = {
    "test_connection": "Test the connection",
    "auth_login": "Log in",
    "token": "Get an access token",
    "campaign_create": "Create campaign",
    "campaign_update": "Update campaign",
    "campaign_start": "Start campaign",
    "campaign_stop": "Stop campaign",
    "campaign_delete": "Delete campaign",
    "campaign_list": "List campaigns",
    "campaign_link": "Link an existing campaign",
    "campaign_link_choices": "List campaigns to link",
    "agents": "Set the campaign's agents",
    "lead_lists": "List lead lists",
    "template_list": "List template campaigns",
    "result_codes": "Read result codes",
    "lead_push": "Push one lead",
    "leads_push": "Push leads",
    "leads_push_bulk": "Push leads (bulk)",
    "lead_push_bulk": "Push leads (bulk)",
    "lead_find": "Find a lead",
    "lead_get": "Read a lead",
    "lead_update": "Update a lead",
    "lead_remove": "Remove a lead",
    "leads_clear": "Remove all leads",
    "lead_call_result": "Send a call result",
    "lead_terminate": "Stop dialling a lead",
    "pending_count": "Count pending calls",
    "pending_calls": "List pending calls",
    "call_records": "Read the call log (CDRs)",
    "campaign_get": "Read campaign",
    "members_list": "List leads",
    "contacts_list": "List leads",
    "leads_list": "List leads",
    "leads_confirm": "Confirm pushed leads",
    "leads_count": "Count the leads on the dialer",
    "dnd_list": "Read the DND list",
    "campaign_reset": "Reset campaign",
    "members_reset": "Dial leads again",
    "members_delete": "Remove leads by filter",
    "contact_get": "Read a lead",
    "contact_delete": "Remove a lead by id",
    "schedule_call": "Schedule a call",
    "lead_remove_bulk": "Remove leads (bulk)",
    "lead_schedule": "Schedule leads",
    "dial_status_export": "Export dial statuses",
    "results_pull": "Read call results",
}


def operation_label(code: str) -> str:
    """ "Push leads (bulk) · leads_push_bulk"; the bare code when it has no name (a call
    logged before the operation was renamed)."""
    name = OPERATION_NAMES.get(code)
    return f"{name} · {code}" if name else code
