"""What Voicenter gives the shared contract suite, and the values its own tests share."""

from __future__ import annotations

from typing import Any

from tests.vendors.harness import VendorHarness
from vendors.adapters.types import AgentRef, CampaignSpec, LeadRecord

CREDENTIALS = {"code": "voicenter-test-code-0001"}
WRONG_CREDENTIALS = {"code": "voicenter-wrong-code-9999"}
# A campaign the emulator holds by default (vendors/adapters/voicenter/emulator.py).
CAMPAIGN_CODE = "vcsbx0001morning"


def settings(**overrides: Any) -> dict[str, Any]:
    """Settings as ``VoicenterCampaignForm.settings()`` returns them (Voicenter's names):
    the vendor-only fields; the members are the spec's agents (the field map)."""
    value: dict[str, Any] = {
        "Code": CAMPAIGN_CODE,
        "setQueueForMonitoring": 10000,
        "setQueueMaximumCallers": 0,
        "setCoefficient": 1.5,
        "setMaxCalls": 5,
        "RepresentativeList": ["SIP1", "SIP2"],
    }
    value.update(overrides)
    return value


def agents(*members: str) -> tuple[AgentRef, ...]:
    return tuple(AgentRef(name=f"Agent {member}", remote_id=member) for member in members)


def campaign_spec(**settings_overrides: Any) -> CampaignSpec:
    return CampaignSpec(
        name="Morning messages",
        description="reminders",
        caller_id="",
        agents=agents("SIP1001", "SIP1002"),
        settings=settings(**settings_overrides),
    )


def campaign_spec_changed() -> CampaignSpec:
    spec = campaign_spec(setCoefficient=2.0)
    return CampaignSpec(**{**spec.__dict__, "agents": agents("SIP1001", "SIP1002", "SIP1003")})


def lead(lead_id: int = 1, phone: str = "+972501234567", **kwargs: Any) -> LeadRecord:
    return LeadRecord(lead_id=lead_id, phone=phone, first_name="Noa", last_name="Levi", **kwargs)


def trigger_documented_error(adapter, emulator, ref) -> None:
    # ErrorCode 1 (6.1): linking a Code the account does not have.
    adapter.campaign_create(campaign_spec(Code="nosuchcampaign"))


HARNESS = VendorHarness(
    kind="voicenter",
    credentials=CREDENTIALS,
    wrong_credentials=WRONG_CREDENTIALS,
    campaign_spec=campaign_spec,
    campaign_spec_changed=campaign_spec_changed,
    trigger_documented_error=trigger_documented_error,
    documented_error_message="Invalid campaign code",
    lead=lead,
)
