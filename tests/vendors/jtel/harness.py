"""What jtel gives the shared contract suite, and the values its own tests share."""

from __future__ import annotations

from typing import Any

from tests.vendors.harness import VendorHarness
from vendors.adapters.types import CampaignSpec, LeadRecord

CREDENTIALS = {"clients_id": "1", "token": "jtel-test-token-0001"}
WRONG_CREDENTIALS = {"clients_id": "1", "token": "jtel-wrong-token-9999"}
TEMPLATE = "Campaign 1000"


def campaign_spec(**settings: Any) -> CampaignSpec:
    """Settings as ``JtelCampaignForm`` cleans them: the clone body's vendor-only keys
    (the destination is the spec's name, by the field map)."""
    return CampaignSpec(
        name="Spring renewals",
        description="renewals",
        settings={"source": TEMPLATE, "dtFrom": "2026-05-01 08:00:00", **settings},
    )


def campaign_spec_changed() -> CampaignSpec:
    spec = campaign_spec()
    return CampaignSpec(**{**spec.__dict__, "description": "renewals, second wave"})


def lead(lead_id: int = 1, phone: str = "+4989123456", **kwargs: Any) -> LeadRecord:
    values = {"first_name": "Anna", "last_name": "Huber", **kwargs}
    return LeadRecord(lead_id=lead_id, phone=phone, **values)


def trigger_documented_error(adapter, emulator, ref) -> None:
    # The excerpt: cloning onto a name that exists is 409 Conflict.
    spec = campaign_spec(source="Spring renewals")
    adapter.campaign_create(CampaignSpec(**{**spec.__dict__, "name": TEMPLATE}))


HARNESS = VendorHarness(
    kind="jtel",
    credentials=CREDENTIALS,
    wrong_credentials=WRONG_CREDENTIALS,
    campaign_spec=campaign_spec,
    campaign_spec_changed=campaign_spec_changed,
    trigger_documented_error=trigger_documented_error,
    lead=lead,
    documented_error_message="Dialler campaign already exists",
)
