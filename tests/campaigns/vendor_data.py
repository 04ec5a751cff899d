"""Valid settings for each vendor (in the vendor form's field names), and how to turn
them into the HTML form data a browser would post."""

from __future__ import annotations

from typing import Any

from vendors.adapters.forms_common import ListField, RowsField, SwitchField
from vendors.adapters.registry import settings_form_class

VALID_SETTINGS: dict[str, dict[str, Any]] = {
    "acefone": {
        "name": "Acefone side name",
        "dial_method": "2",
        "dial_ratio": "2",
        "outbound_caller_id": "918045678900",
        "disposition_list": "301",
        "number_of_retry": "3",
        "retry_after_minutes": "60",
        "auto_disposition_cancel_duration": "30",
        "dial_status": ["NEW"],
        "ring_timeout": "30",
        "hide_lead_details": 0,
        "update_lead_details": 1,
        "connect_agent_through": "2",
        "dial_in_type": "3",
        "agent_only_callback": 0,
        "agent": [5101],
    },
    "voicenter": {"Code": "campaign01"},
    "webitel": {
        "name": "Webitel side name",
        "type": "Predictive Dialer",
        "priority": 0,
        "calendar_id": "594225b53c1956000b41db7b",
        "calendar_name": "WorksDay",
        "numberStrategy": "by-priority",
        "membersStrategy": "next-tries-circuit",
        "agentStrategy": "random",
    },
    "jtel": {"source": "Campaign 1000", "destination": "New campaign"},
    "ozonetel": {"campaign_name": "Ozonetel_side", "expiry_policy": "none"},
}

# (kind, changes to the valid settings, field with the error, the error's exact words)
RULES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "acefone",
        {"dial_method": "1", "dial_ratio": None},
        "auto_dial_duration",
        "Auto dial duration is required when Dial method is Preview.",
    ),
    (
        "acefone",
        {"dial_method": "2", "dial_ratio": None},
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
                "types": [
                    {"name": "Mobile", "code": "1", "ranges": [{"startTime": 600, "endTime": 540}]}
                ]
            }
        },
        "communications",
        "Row 1: To: The end must be after the start.",
    ),
    (
        "webitel",
        {"calendar_id": "WorksDay"},
        "calendar_id",
        "A Webitel calendar id is 24 hexadecimal characters.",
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
        {"destination": "Campaign 1000"},
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
        {"runtime_start": "09:00:00"},
        "runtime_end",
        "Give both run times, or neither (then 08:00:00–21:00:00).",
    ),
    (
        "ozonetel",
        {"runtime_start": "18:00:00", "runtime_end": "09:00:00"},
        "runtime_end",
        "The run time end must be after its start.",
    ),
    (
        "ozonetel",
        {"runtime_start": "9 am", "runtime_end": "18:00:00"},
        "runtime_start",
        "Enter a time as HH:MM:SS, for example 09:00:00.",
    ),
    (
        "ozonetel",
        {"routing_method": "Agentwise"},
        "agent_skills",
        "Agentwise routing needs an agent id in the agent and skill mapping.",
    ),
    (
        "ozonetel",
        {"routing_method": "Skillwise", "agent_skills": [{"agent_id": "asha", "skill": ""}]},
        "agent_skills",
        "Skillwise routing needs a skill in the agent and skill mapping.",
    ),
    (
        "ozonetel",
        {"did": "080-4567"},
        "did",
        "Enter the number as digits with the country code, for example 918045678900.",
    ),
    (
        "ozonetel",
        {"did": "918045678900", "fallback_did": "+918045678900"},
        "fallback_did",
        "The fallback DID must differ from the DID.",
    ),
    (
        "ozonetel",
        {"pacing_ratio": "2"},
        "pacing_ratio",
        "Enter the ratio as agents:calls, for example 1:2.",
    ),
    (
        "ozonetel",
        {"campaign_type": "Robocall"},
        "campaign_type",
        "Select a valid choice. Robocall is not one of the available choices.",
    ),
]


def settings_with(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    settings = {**VALID_SETTINGS[kind], **changes}
    return {key: value for key, value in settings.items() if value is not None}


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
