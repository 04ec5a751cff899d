"""Valid settings for each vendor (in the vendor form's field names), and how to turn
them into the HTML form data a browser would post."""

from __future__ import annotations

from typing import Any

from vendors.adapters.forms_common import ListField, RowsField, SwitchField
from vendors.adapters.registry import settings_form_class
from vendors.adapters.types import CampaignSpec

# The vendor-only fields: the derived ones (each vendor's field_map.py) come from the
# campaign, and a rule that depends on one sets the campaign field with a "campaign:" key.
VALID_SETTINGS: dict[str, dict[str, Any]] = {
    "acefone": {
        "dial_ratio": "2",
        "dial_status": ["NEW"],
        "hide_lead_details": 0,
        "update_lead_details": 1,
        "connect_agent_through": "2",
        "dial_in_type": "3",
        "agent_only_callback": 0,
    },
    "voicenter": {"Code": "campaign01"},
    "webitel": {
        "priority": 0,
        "numberStrategy": "by-priority",
        "membersStrategy": "next-tries-circuit",
        "agentStrategy": "random",
    },
    "jtel": {"source": "Campaign 1000"},
    "ozonetel": {"campaign_name": "Ozonetel_side", "expiry_policy": "none"},
}

# (kind, changes to the valid settings, field with the error, the error's exact words)
RULES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "acefone",
        {"campaign:dial_method": "preview", "dial_ratio": None},
        "auto_dial_duration",
        "Auto dial duration is required when Dial method is Preview.",
    ),
    (
        "acefone",
        {"campaign:dial_method": "ratio", "dial_ratio": None},
        "dial_ratio",
        "Dial ratio is required when Dial method is Ratio.",
    ),
    (
        "acefone",
        {"enable_inbound": 1, "inbound_lead_list": "77"},
        "inbound_queue",
        "Inbound queue id is required when Enable inbound is on.",
    ),
    (
        "acefone",
        {"enable_inbound": 1, "inbound_queue": "12"},
        "inbound_lead_list",
        "Inbound lead list id is required when Enable inbound is on.",
    ),
    (
        "acefone",
        {"manual_dial_enabled": 1},
        "manual_lead_list",
        "Manual lead lists is required when Manual dial is on.",
    ),
    (
        "acefone",
        {"lead_list_map": [{"list_id": n, "list_status": 1} for n in (1, 2, 3, 4)]},
        "lead_list_map",
        "Acefone allows at most 3 active lead lists; 4 are active.",
    ),
    (
        "webitel",
        {
            "communications": {
                "types": [{"name": "Mobile", "code": "1", "ranges": [{"attempts": -1}]}]
            }
        },
        "communications",
        "Row 1: Attempts: Ensure this value is greater than or equal to 0.",
    ),
    (
        "voicenter",
        {"Code": "no spaces allowed"},
        "Code",
        "A Voicenter campaign Code is 4 to 64 letters, digits, - or _.",
    ),
    (
        "jtel",
        {"dtFrom": "2026-05-02 08:00:00", "dtTo": "2026-05-01 08:00:00"},
        "dtTo",
        "“Runs to” must be after “Runs from”.",
    ),
    (
        "jtel",
        {"campaign:name": "Campaign 1000"},
        "destination",
        "The destination must differ from the template campaign.",
    ),
    (
        "ozonetel",
        {"expiry_policy": "days"},
        "expiry_days",
        "Days until a lead expires is required when Lead expiry is Expire a number of days "
        "after they are pushed.",
    ),
    (
        "ozonetel",
        {"expiry_policy": "date"},
        "expiry_date",
        "Expiry date is required when Lead expiry is Expire on a fixed date.",
    ),
    (
        "ozonetel",
        {"routing_method": "Skillwise"},
        "skill",
        "Skillwise routing needs a skill or a skill-only target.",
    ),
    (
        "ozonetel",
        {"campaign:caller_id": "+918045678900", "fallback_did": "+918045678900"},
        "fallback_did",
        "The fallback DID must differ from the DID.",
    ),
    (
        "ozonetel",
        {"pacing_ratio": "2"},
        "pacing_ratio",
        "Enter the ratio as agents:calls, for example 1:2.",
    ),
]


# A campaign each vendor can take (Acefone has no Progressive, Webitel no Preview).
CAMPAIGN_DEFAULTS: dict[str, Any] = {
    "name": "Rule check",
    "description": "",
    "caller_id": "",
    "retry_count": 3,
    "retry_interval_minutes": 60,
    "wrap_up_seconds": 30,
    "ring_timeout_seconds": 30,
}
DIAL_METHODS = {"acefone": "ratio", "webitel": "predictive"}


def settings_with(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    settings = {**VALID_SETTINGS[kind], **changes}
    return {
        key: value
        for key, value in settings.items()
        if value is not None and not key.startswith("campaign:")
    }


def campaign_with(kind: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The campaign's own fields for a rule: the defaults, the vendor's dial method, and
    the rule's "campaign:" changes."""
    values = {**CAMPAIGN_DEFAULTS, "dial_method": DIAL_METHODS.get(kind, "progressive")}
    for key, value in (changes or {}).items():
        if key.startswith("campaign:"):
            values[key.removeprefix("campaign:")] = value
    return values


def derived_with(kind: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The derived fields' vendor values for that campaign (what the page passes)."""
    spec = CampaignSpec(**campaign_with(kind, changes))
    return settings_form_class(kind).field_map.values(spec)


def html_data(kind: str, settings: dict[str, Any], prefix: str = "vendor") -> dict[str, Any]:
    """What a browser posts for ``settings``: text inputs, checked switches, and repeated
    rows as ``<name>-<i>-<column>`` with ``<name>-TOTAL``."""
    form_class = settings_form_class(kind)
    data: dict[str, Any] = {}
    for name, value in form_class.initial_from_settings(settings).items():
        field = form_class.base_fields[name]
        key = f"{prefix}-{name}"
        if isinstance(field, SwitchField):
            if field.prepare_value(value):
                data[key] = "on"
        elif isinstance(field, RowsField):
            rows = field.prepare_value(value)
            data[f"{key}-TOTAL"] = str(len(rows))
            for index, row in enumerate(rows):
                row_form = field.row_form
                for column, cell in row.items():
                    cell_field = row_form.base_fields[column]
                    cell_key = f"{key}-{index}-{column}"
                    if isinstance(cell_field, SwitchField):
                        if cell_field.prepare_value(cell):
                            data[cell_key] = "on"
                    else:
                        data[cell_key] = str(cell_field.prepare_value(cell))
        elif isinstance(field, ListField):
            data[key] = ", ".join(str(item) for item in value)
        else:
            data[key] = str(value)
    return data
