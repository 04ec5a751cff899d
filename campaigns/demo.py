"""Demo data: agents, a disposition list with flagged codes, a pause-code list, the
default calling window, and one draft campaign per vendor whose demo account exists
(``context["vendor_accounts"]``, from the vendors loader) dialling the North team's first
lead list (``context["lead_lists"]``, from the leads loader). Safe to run twice: rows are
found by name and left alone when they exist."""

from __future__ import annotations

from typing import Any

from django import forms

from campaigns import services
from campaigns.forms import default_window_days
from campaigns.models import (
    Agent,
    CallingWindow,
    Campaign,
    DialMethod,
    DispositionList,
    ListRemoteId,
    PauseCodeList,
    TimezonePolicy,
)
from campaigns.vendor_settings import vendor_form
from results.recycling.rules import rules_clean, rules_replace

DEMO_AGENTS = (
    # name, email, extension, mobile, team, remote id per vendor kind
    ("Asha Rao", "asha@demo.invalid", "101", "+14155550101", "North team",
     {"acefone": "5101", "voicenter": "SIP101", "webitel": "101", "ozonetel": "asha"}),
    ("Ben Cohen", "ben@demo.invalid", "102", "+14155550102", "North team",
     {"acefone": "5102", "voicenter": "SIP102", "webitel": "102", "ozonetel": "ben"}),
    ("Carla Diaz", "carla@demo.invalid", "201", "+14155550201", "South team",
     {"acefone": "5201", "voicenter": "SIP201", "webitel": "201", "ozonetel": "carla"}),
)  # fmt: skip

DEMO_DISPOSITIONS = (
    {"code": "SALE", "label": "Sale", "is_final": True, "is_success": True},
    {"code": "CB", "label": "Call back", "is_callback": True, "retry_after_minutes": 120},
    {"code": "NA", "label": "No answer", "retry_after_minutes": 60},
    {"code": "AM", "label": "Answering machine"},
    {"code": "NI", "label": "Not interested", "is_final": True},
    {"code": "DNC", "label": "Do not call", "is_final": True, "is_do_not_call": True},
)
# The recycling rules of the demo outcomes (issue #14 point 4): what a supervisor would set.
DEMO_RECYCLE_RULES = (
    {"match_kind": "dialer", "match_code": "BUSY", "action": "delay", "delay_minutes": 30,
     "max_times": 3},
    {"match_kind": "dialer", "match_code": "NO_ANSWER", "action": "next_day",
     "delay_minutes": None, "max_times": 2},
    {"match_kind": "disposition", "match_code": "AM", "action": "delay", "delay_minutes": 240,
     "max_times": 2},
    {"match_kind": "disposition", "match_code": "CB", "action": "callback_time",
     "delay_minutes": None, "max_times": 3},
)  # fmt: skip
DEMO_PAUSE_CODES = (
    {"code": "LUNCH", "label": "Lunch"},
    {"code": "TRAIN", "label": "Training"},
    {"code": "BREAK", "label": "Short break"},
)


def demo_vendor_settings(kind: str, *, agent_ids: list[str]) -> dict[str, Any]:
    """A complete, valid settings object per vendor, in the vendor form's own names."""
    return {
        "acefone": {
            "name": "Demo Acefone campaign",
            "dial_method": "1",
            "auto_dial_duration": "10",
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
            "dial_in_type": "1",
            "agent_only_callback": 0,
            "agent": [int(agent_id) for agent_id in agent_ids if agent_id.isdigit()],
            "lead_list_map": [{"list_id": 9001, "list_status": 1}],
        },
        "voicenter": {
            "Code": "demoVoicenter01",
            "setQueueForMonitoring": 10000,
            "setQueueMaximumCallers": 0,
            "setCoefficient": 1,
            "members": agent_ids,
        },
        "webitel": {
            "name": "Demo Webitel campaign",
            "type": "Progressive Dialer",
            "priority": 1,
            "calendar_id": "594225b53c1956000b41db7b",
            "calendar_name": "WorksDay",
            "parameters_limit": 20,
            "parameters_maxTryCount": 3,
            "parameters_intervalTryCount": 180,
            # The dialer holds each called lead until the console sends its outcome.
            "parameters_waitingForResultStatus": 1,
            "numberStrategy": "by-priority",
            "membersStrategy": "next-tries-circuit",
            "agentStrategy": "longest-idle-agent",
            "agents": agent_ids,
            "resources": [
                {
                    "dialledNumber": r"^\+\d{8,15}$",
                    "destinations": [
                        {"gwName": "demoGateway", "dialString": "$1", "enabled": True, "order": 0}
                    ],
                }
            ],
            "communications": {
                "types": [
                    {
                        "name": "Mobile",
                        "code": "1",
                        "ranges": [{"startTime": 540, "endTime": 1080, "attempts": 2}],
                    }
                ]
            },
        },
        "jtel": {
            "source": "Campaign 1000",
            "destination": "Demo jtel campaign",
            "userData": "demo",
        },
        "ozonetel": {
            "campaign_name": "Demo_Ozonetel",
            "check_duplicate": 1,
            "start_on_add": 0,
            "expiry_policy": "days",
            "expiry_days": 30,
            "skill": "sales",  # the agents are the campaign's, by their Ozonetel ids
        },
    }[kind]


def _agents(context: dict) -> list[Agent]:
    accounts = context.get("vendor_accounts", {})
    agents = []
    for name, email, extension, mobile, team_name, remote in DEMO_AGENTS:
        existing = Agent.objects.filter(name=name).first()
        if existing:
            agents.append(existing)
            continue
        remote_ids = {account: remote[kind] for kind, account in accounts.items() if kind in remote}
        agents.append(
            services.agent_save(
                fields={
                    "name": name,
                    "email": email,
                    "extension": extension,
                    "mobile": mobile,
                    "team": context["teams"].get(team_name),
                },
                remote_ids=remote_ids,
            )
        )
    return agents


def _building_blocks() -> tuple[DispositionList, PauseCodeList, CallingWindow]:
    dispositions = DispositionList.objects.filter(name="Standard outcomes").first()
    if dispositions is None:
        dispositions = services.disposition_list_save(
            fields={"name": "Standard outcomes", "description": "Demo outcomes with flags."},
            codes=[
                {
                    "is_final": False,
                    "is_success": False,
                    "is_callback": False,
                    "is_do_not_call": False,
                    "retry_after_minutes": None,
                    **row,
                }
                for row in DEMO_DISPOSITIONS
            ],
        )
        rules_replace(
            rows=rules_clean(list(DEMO_RECYCLE_RULES), disposition_list=dispositions),
            disposition_list=dispositions,
        )
    pauses = PauseCodeList.objects.filter(name="Standard breaks").first()
    if pauses is None:
        pauses = services.pause_code_list_save(
            fields={"name": "Standard breaks", "description": ""}, codes=list(DEMO_PAUSE_CODES)
        )
    window = CallingWindow.objects.filter(name="Lead local 08:00–21:00").first()
    if window is None:
        window = services.calling_window_save(
            fields={"name": "Lead local 08:00–21:00", "timezone_policy": TimezonePolicy.LEAD_LOCAL},
            days=default_window_days(),
            holidays=[],
        )
    return dispositions, pauses, window


# The lists' ids on the sandbox dialers that keep such lists (Acefone's disposition_list,
# break_list and time_group; Webitel's calendar, the one its document shows).
DEMO_LIST_IDS = {
    "acefone": {"disposition_list": "301", "pause_code_list": "302", "calling_window": "303"},
    "webitel": {"calling_window": "594225b53c1956000b41db7b"},
}


def _list_ids(context: dict, lists: dict[str, Any]) -> None:
    for kind, account in context.get("vendor_accounts", {}).items():
        for field, remote_id in DEMO_LIST_IDS.get(kind, {}).items():
            ListRemoteId.objects.get_or_create(
                **{field: lists[field]}, vendor_account=account, defaults={"remote_id": remote_id}
            )


def load_demo(*, context: dict) -> None:
    agents = _agents(context)
    dispositions, pauses, window = _building_blocks()
    _list_ids(
        context,
        {"disposition_list": dispositions, "pause_code_list": pauses, "calling_window": window},
    )
    supervisor = context["users"].get("supervisor")
    team = context["teams"].get("North team")
    # The North team's lists (from the leads loader), so each demo campaign has leads to
    # push once it is started.
    demo_lists = [
        lead_list
        for lead_list in context.get("lead_lists", {}).values()
        if lead_list.team_id and lead_list.team_id == getattr(team, "pk", None)
    ][:1]
    for kind, account in context.get("vendor_accounts", {}).items():
        name = f"Demo {account.get_kind_display()} campaign"
        if Campaign.objects.filter(name=name).exists():
            continue
        remote_ids = [
            agent.remote_ids.get(vendor_account=account).remote_id
            for agent in agents
            if agent.remote_ids.filter(vendor_account=account).exists()
        ]
        settings = demo_vendor_settings(kind, agent_ids=remote_ids)
        form = vendor_form(account=account, data=settings)
        code_field = form.fields.get("Code")
        if isinstance(code_field, forms.ChoiceField) and len(code_field.choices) > 1:
            # The Voicenter account answered: link the first campaign it offers.
            settings["Code"] = code_field.choices[1][0]
            form = vendor_form(account=account, data=settings)
        if not form.is_valid():
            raise ValueError(f"Demo {kind} settings are invalid: {form.errors.as_text()}")
        services.campaign_create(
            fields={
                "name": name,
                "description": f"Demo campaign on the {account.get_kind_display()} sandbox.",
                "team": team,
                "vendor_account": account,
                "dial_method": DialMethod.PREVIEW if kind == "acefone" else DialMethod.PROGRESSIVE,
                "caller_id": "+14155550100",
                "disposition_list": dispositions,
                "pause_code_list": pauses,
                "calling_window": window,
            },
            vendor_settings=form.settings(),
            agents=agents,
            lead_lists=[services.LeadListLink(lead_list) for lead_list in demo_lists],
            acting_user=supervisor,
        )
