from __future__ import annotations

import dataclasses

from tests.vendors.harness import VendorHarness
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.adapters.types import AgentRef, CampaignSpec, LeadRecord, NamedListRef

# What the Acefone settings form's cleaned data holds (vendors/adapters/acefone/forms.py):
# Acefone's own names and documented types, the vendor-only fields. The derived ones
# (name, dial method, caller ID, retries, wrap-up, ring timeout, agents, disposition list)
# come from the spec's own attributes, by the field map.
SETTINGS = {
    "dial_ratio": "2",
    "agent_wise_caller_id": 0,
    "lead_list_map": [{"list_id": 101, "list_status": 1}, {"list_id": 102, "list_status": 0}],
    "agent_wise_lead_list": 0,
    "list_traversal_order": "1",
    "dial_status": ["new"],
    "hide_lead_details": 0,
    "update_lead_details": 1,
    "connect_agent_through": "2",
    "dial_in_type": "1",
    "agent_only_callback": 0,
    "manual_dial_enabled": 0,
    "enable_inbound": 0,
}


def campaign_spec(**settings) -> CampaignSpec:
    return CampaignSpec(
        name="Spring renewals",
        description="Renewals due in April",
        dial_method="ratio",
        caller_id="80012345",
        retry_count=2,
        retry_interval_minutes=30,
        wrap_up_seconds=15,
        ring_timeout_seconds=25,
        agents=(AgentRef(name="Asha", remote_id="7001"), AgentRef(name="Ben", remote_id="7002")),
        disposition_list=NamedListRef(name="Sales outcomes", remote_id="12"),
        settings={**SETTINGS, **settings},
    )


# The whole documented body the adapter sends for ``campaign_spec()`` (the emulator's
# tests post it directly).
BODY = {
    **SETTINGS,
    "name": "Spring renewals",
    "description": "Renewals due in April",
    "dial_method": "2",
    "outbound_caller_id": "80012345",
    "disposition_list": "12",
    "number_of_retry": "2",
    "retry_after_minutes": "30",
    "auto_disposition_cancel_duration": "15",
    "ring_timeout": "25",
    "agent": [7001, 7002],
}


def campaign_spec_changed() -> CampaignSpec:
    return dataclasses.replace(
        campaign_spec(), description="Renewals due in April and May", ring_timeout_seconds=30
    )


def trigger_documented_error(adapter, emulator, ref) -> None:
    # More than 3 active lead lists: the excerpt's "upto 3 active lead lists" rule.
    lists = [{"list_id": 200 + n, "list_status": 1} for n in range(4)]
    adapter.campaign_update(ref, campaign_spec(lead_list_map=lists))


def lead(lead_id: int, phone: str, **fields) -> LeadRecord:
    return LeadRecord(
        lead_id=lead_id, phone=phone, first_name="Lead", last_name=str(lead_id), **fields
    )


HARNESS = VendorHarness(
    kind="acefone",
    credentials=dict(SANDBOX_CREDENTIALS),
    wrong_credentials={**SANDBOX_CREDENTIALS, "token": "acefone-wrong-token-0000"},
    campaign_spec=campaign_spec,
    campaign_spec_changed=campaign_spec_changed,
    trigger_documented_error=trigger_documented_error,
    documented_error_message="You can select up to 3 active lead lists.",
)
