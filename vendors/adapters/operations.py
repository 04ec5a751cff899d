"""The vendor operations the adapters perform, in words: the call log writes each
exchange's operation code, and its filter and rows show these names with the code
beside. An adapter lists its own fixed set in ``BaseAdapter.operations``; every code in
a set has its name here (tests/vendors/test_operations.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OPERATION_NAMES: dict[str, str] = {
    "test_connection": _("Test the connection"),
    "auth_login": _("Log in"),
    "token": _("Get an access token"),
    "campaign_create": _("Create campaign"),
    "campaign_update": _("Update campaign"),
    "campaign_start": _("Start campaign"),
    "campaign_stop": _("Stop campaign"),
    "campaign_delete": _("Delete campaign"),
    "campaign_list": _("List campaigns"),
    "campaign_link": _("Link an existing campaign"),
    "campaign_link_choices": _("List campaigns to link"),
    "agents": _("Set the campaign's agents"),
    "lead_lists": _("List lead lists"),
    "template_list": _("List template campaigns"),
    "result_codes": _("Read result codes"),
    "lead_push": _("Push one lead"),
    "leads_push": _("Push leads"),
    "leads_push_bulk": _("Push leads (bulk)"),
    "lead_push_bulk": _("Push leads (bulk)"),
    "lead_find": _("Find a lead"),
    "lead_get": _("Read a lead"),
    "lead_update": _("Update a lead"),
    "lead_remove": _("Remove a lead"),
    "leads_clear": _("Remove all leads"),
    "lead_call_result": _("Send a call result"),
    "lead_terminate": _("Stop dialling a lead"),
    "pending_count": _("Count pending calls"),
    "pending_calls": _("List pending calls"),
    "call_records": _("Read the call log (CDRs)"),
    "campaign_get": _("Read campaign"),
    "members_list": _("List leads"),
    "contacts_list": _("List leads"),
    "leads_list": _("List leads"),
    "leads_confirm": _("Confirm pushed leads"),
    "leads_count": _("Count the leads on the dialer"),
    "dnd_list": _("Read the DND list"),
    "campaign_reset": _("Reset campaign"),
    "members_reset": _("Dial leads again"),
    "members_delete": _("Remove leads by filter"),
    "contact_get": _("Read a lead"),
    "contact_delete": _("Remove a lead by id"),
    "schedule_call": _("Schedule a call"),
    "lead_remove_bulk": _("Remove leads (bulk)"),
    "lead_schedule": _("Schedule leads"),
    "dial_status_export": _("Export dial statuses"),
    "results_pull": _("Read call results"),
}


def operation_label(code: str) -> str:
    """ "Push leads (bulk) · leads_push_bulk"; the bare code when it has no name (a call
    logged before the operation was renamed)."""
    name = OPERATION_NAMES.get(code)
    return f"{name} · {code}" if name else code
