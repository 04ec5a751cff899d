"""What Webitel gives the shared contract suite, and the values its own tests share."""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.vendors.harness import VendorHarness
from vendors.adapters.types import AgentRef, CallingWindowRef, CampaignSpec, LeadRecord

CREDENTIALS = {"token": "webitel-test-token-0001", "key": "webitel-test-key-0002"}
WRONG_CREDENTIALS = {"token": "webitel-wrong-token-9999", "key": "webitel-test-key-0002"}
CALENDAR = {"id": "594225b53c1956000b41db7b", "name": "WorksDay"}


def settings(**overrides: Any) -> dict[str, Any]:
    """Settings as ``WebitelCampaignForm.settings()`` returns them (nested, Webitel's
    names, the table's agent strategy spelling): the vendor-only fields; name, type,
    calendar, attempts and agents come from the spec, by the field map."""
    value: dict[str, Any] = {
        "priority": 1,
        "parameters": {"limit": 20, "waitingForResultStatus": True, "recordSession": True},
        "amd": {"enabled": True, "allowNotSure": True},
        "variables": {"myVar": "10"},
        "numberStrategy": "by-priority",
        "membersStrategy": "next-tries-circuit",
        "agentStrategy": "longest-idle-agent",
        "autoResetStats": True,
        "resources": [
            {
                "dialledNumber": r"^\+\d{8,11}$",
                "destinations": [
                    {"gwName": "testDialer", "dialString": "0$1", "gwProto": "sip", "limit": 10}
                ],
            }
        ],
        "agentParams": {"callTimeout": 20, "wrapUpTime": 40},
        "skills": ["english"],
        "communications": {
            "types": [
                {
                    "name": "Personal",
                    "code": "1",
                    "ranges": [{"startTime": 540, "endTime": 1080, "attempts": 2, "priority": 10}],
                }
            ]
        },
    }
    value.update(overrides)
    return value


def campaign_spec(**settings_overrides: Any) -> CampaignSpec:
    return CampaignSpec(
        name="Spring renewals",
        description="test dialer",
        dial_method="predictive",
        caller_id="000000000",
        retry_count=3,
        retry_interval_minutes=3,
        wrap_up_seconds=40,
        ring_timeout_seconds=40,
        agents=(
            AgentRef(name="Ann", extension="100", remote_id="100"),
            AgentRef(name="Bob", extension="200", remote_id="200"),
        ),
        calling_window=CallingWindowRef(name=CALENDAR["name"], remote_id=CALENDAR["id"]),
        settings=settings(**settings_overrides),
    )


def campaign_spec_changed() -> CampaignSpec:
    spec = campaign_spec()
    return CampaignSpec(**{**spec.__dict__, "description": "renewals, second wave"})


def lead(lead_id: int = 1, phone: str = "+380911234567", **kwargs: Any) -> LeadRecord:
    return LeadRecord(lead_id=lead_id, phone=phone, first_name="Ivan", last_name="Ivanov", **kwargs)


def trigger_documented_error(adapter, emulator, ref) -> None:
    # The engine's 400 for a dialer without a type ([V] api-facts §3.4): Preview has no
    # Webitel type (the console refuses it at save; the adapter sends none).
    adapter.campaign_create(dataclasses.replace(campaign_spec(), dial_method="preview"))


HARNESS = VendorHarness(
    kind="webitel",
    credentials=CREDENTIALS,
    wrong_credentials=WRONG_CREDENTIALS,
    campaign_spec=campaign_spec,
    campaign_spec_changed=campaign_spec_changed,
    trigger_documented_error=trigger_documented_error,
    lead=lead,
    documented_error_message="Type is required",
)
