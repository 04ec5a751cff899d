"""What Ozonetel gives the shared contract suite, and the values its own tests share."""

from __future__ import annotations

from typing import Any

from tests.vendors.harness import VendorHarness
from vendors.adapters.types import AgentRef, CampaignSpec, LeadRecord, RemoteRef

CREDENTIALS = {
    "user_name": "ozonetel_admin",
    "api_key": "ozonetel-test-key-0001",
    "auth_mode": "BASIC_AUTH",
}
WRONG_CREDENTIALS = {**CREDENTIALS, "api_key": "ozonetel-wrong-key-9999"}
TOKEN_CREDENTIALS = {**CREDENTIALS, "auth_mode": "TOKEN_AUTH"}
CAMPAIGN_NAME = "Spring_Renewals"


def settings(**overrides: Any) -> dict[str, Any]:
    """Settings as ``OzonetelCampaignForm.settings()`` returns them (neutral names)."""
    value: dict[str, Any] = {
        "campaign_name": CAMPAIGN_NAME,
        "check_duplicate": 1,
        "start_on_add": 0,
        "expiry_policy": "days",
        "expiry_days": 30,
        "skill": "sales",
    }
    value.update(overrides)
    return value


def campaign_spec(agents: tuple[str, ...] = ("agent1",), **settings_overrides: Any) -> CampaignSpec:
    """The campaign's agents by their Ozonetel ids (the derived ``agent_id``)."""
    return CampaignSpec(
        name="Spring renewals",
        description="renewal calls",
        dial_method="progressive",
        caller_id="+918040000000",
        settings=settings(**settings_overrides),
        agents=tuple(AgentRef(name=f"Agent {one}", remote_id=one) for one in agents),
    )


def campaign_spec_changed() -> CampaignSpec:
    return campaign_spec(start_on_add=1, expiry_days=45)


def lead(lead_id: int = 1, phone: str = "+919812345678", **kwargs: Any) -> LeadRecord:
    names = {"first_name": "Asha", "last_name": "Rao", **kwargs}
    return LeadRecord(lead_id=lead_id, phone=phone, **names)


def trigger_documented_error(adapter, emulator, ref) -> None:
    # DeleteCampaignData's documented "Passed campaign are invalid" (api-facts §5.4).
    adapter.lead_remove(RemoteRef("No_Such_Campaign"), remote_lead_id="", phone=lead().phone)


HARNESS = VendorHarness(
    kind="ozonetel",
    credentials=CREDENTIALS,
    wrong_credentials=WRONG_CREDENTIALS,
    campaign_spec=campaign_spec,
    campaign_spec_changed=campaign_spec_changed,
    trigger_documented_error=trigger_documented_error,
    documented_error_message="Passed campaign are invalid",
)
