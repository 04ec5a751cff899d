"""Webitel Engine v2 dialer settings (``shared/vendors/webitel-dialer-v2.txt``).

The cleaned data uses **Webitel's own names and shape**, the body of
``POST /api/v2/dialer`` itself: ``calendar`` is ``{"id", "name"}``, ``parameters``,
``amd`` and ``agentParams`` are objects, ``variables`` an object of strings,
``resources`` ``[{"dialledNumber", "destinations": [...]}]`` and ``communications``
``{"types": [{"name", "code", "ranges": [{"startTime", "endTime", "attempts",
"priority"}]}]}`` with times in minutes after midnight (shown as HH:MM).

In the HTML form the nested objects are flat fields (``parameters_limit``,
``amd_enabled``...), resources are one row per destination carrying its dialled-number
pattern, and communication types one row per time range carrying its type; the rows
are grouped back into the documented nesting when cleaned. ``settings()`` returns the
nested body; ``initial_from_settings`` flattens it again.

The document's table calls the result switch ``waitForResultStatus`` while its example
and the call-result section say ``waitingForResultStatus``; the example's spelling is kept.
Likewise ``dialledNumber`` (example) against ``dialedNumber`` (table); the agent
strategies are the table's names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.adapters.forms_common import (
    Condition,
    ListField,
    RowsField,
    SwitchField,
    VendorSettingsForm,
)
from vendors.adapters.webitel.field_map import FIELD_MAP
from vendors.adapters.webitel.payloads import AGENT_STRATEGY_ENGINE_NAMES

TYPES = [
    ("Predictive Dialer", "Predictive Dialer"),
    ("Progressive Dialer", "Progressive Dialer"),
    ("Voice Broadcasting", "Voice Broadcasting"),
]
NUMBER_STRATEGIES = [("by-priority", "by-priority"), ("top-down", "top-down")]
MEMBERS_STRATEGIES = [
    ("next-tries-circuit", "next-tries-circuit"),
    ("strict-circuit", "strict-circuit"),
]
AGENT_STRATEGIES = [
    ("random", "random"),
    ("agent-with-fewest-calls", "agent-with-fewest-calls"),
    ("agent-with-least-talk-time", "agent-with-least-talk-time"),
    ("longest-idle-agent", "longest-idle-agent"),
]

# form field -> (object, key) in the Webitel body
PARAMETERS = {
    "parameters_limit": "limit",
    "parameters_minBillSec": "minBillSec",
    "parameters_originateTimeout": "originateTimeout",
    "parameters_maxTryCount": "maxTryCount",
    "parameters_intervalTryCount": "intervalTryCount",
    "parameters_wrapUpTime": "wrapUpTime",
    "parameters_predictAdjust": "predictAdjust",
    "parameters_targetPredictiveSilentCalls": "targetPredictiveSilentCalls",
    "parameters_maxPredictiveSilentCalls": "maxPredictiveSilentCalls",
    "parameters_waitingForResultStatus": "waitingForResultStatus",
    "parameters_recordSession": "recordSession",
    "parameters_eternalQueue": "eternalQueue",
    "parameters_retryAbandoned": "retryAbandoned",
    "parameters_retriesByNumber": "retriesByNumber",
    "parameters_oneDayTask": "oneDayTask",
}
AMD = {
    "amd_enabled": "enabled",
    "amd_allowNotSure": "allowNotSure",
    "amd_maximumWordLength": "maximumWordLength",
    "amd_maximumNumberOfWords": "maximumNumberOfWords",
    "amd_betweenWordsSilence": "betweenWordsSilence",
    "amd_minWordLength": "minWordLength",
    "amd_totalAnalysisTime": "totalAnalysisTime",
    "amd_silenceThreshold": "silenceThreshold",
    "amd_afterGreetingSilence": "afterGreetingSilence",
    "amd_greeting": "greeting",
    "amd_initialSilence": "initialSilence",
}
AGENT_PARAMS = {
    "agentParams_callTimeout": "callTimeout",
    "agentParams_wrapUpTime": "wrapUpTime",
    "agentParams_maxNoAnswer": "maxNoAnswer",
    "agentParams_busyDelayTime": "busyDelayTime",
    "agentParams_rejectDelayTime": "rejectDelayTime",
    "agentParams_noAnswerDelayTime": "noAnswerDelayTime",
}
NESTED = {"parameters": PARAMETERS, "amd": AMD, "agentParams": AGENT_PARAMS}


def _count(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, **kwargs)


# --- repeatable rows ------------------------------------------------------------------


class VariableRow(forms.Form):
    key = forms.RegexField(
        label=_("Variable"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]*\Z",
        error_messages={
            "invalid": _("Use letters, digits and underscores, not starting with a digit.")
        },
    )
    value = forms.CharField(label=_("Value"), required=False)


def variables_to_rows(value: dict) -> list[dict]:
    return [{"key": key, "value": str(item)} for key, item in dict(value or {}).items()]


def variables_from_rows(rows: list[dict]) -> dict[str, str]:
    return {row["key"]: row["value"] for row in rows}


class DestinationRow(forms.Form):
    dialledNumber = forms.CharField(
        label=_("Dialled number pattern"), help_text=_("A regular expression.")
    )
    gwName = forms.CharField(label=_("Gateway"))
    dialString = forms.CharField(label=_("Dial string"))
    gwProto = forms.CharField(label=_("Protocol"), required=False, initial="sip")
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0)
    limit = forms.IntegerField(label=_("Limit"), required=False, min_value=0)
    enabled = SwitchField(label=_("Enabled"))
    callerIdNumber = forms.CharField(label=_("Caller ID"), required=False)

    def clean_dialledNumber(self) -> str:
        import re

        pattern = self.cleaned_data["dialledNumber"]
        try:
            re.compile(pattern)
        except re.error:
            raise forms.ValidationError(gettext("Enter a valid regular expression.")) from None
        return pattern


def resources_to_rows(value: list[dict]) -> list[dict]:
    rows = []
    for resource in value or []:
        for destination in resource.get("destinations") or [{}]:
            rows.append({"dialledNumber": resource["dialledNumber"], **destination})
    return rows


def resources_from_rows(rows: list[dict]) -> list[dict]:
    resources: dict[str, list[dict]] = {}
    for row in rows:
        destination = {key: value for key, value in row.items() if key != "dialledNumber"}
        destination["enabled"] = bool(destination["enabled"])
        destination = {k: v for k, v in destination.items() if v not in (None, "")}
        resources.setdefault(row["dialledNumber"], []).append(destination)
    return [{"dialledNumber": number, "destinations": dests} for number, dests in resources.items()]


class RangeRow(forms.Form):
    """One communication type. Its time range (startTime/endTime) is not typed: it is the
    campaign's calling window's hours (``field_map.communications``)."""

    type_name = forms.CharField(label=_("Type name"))
    type_code = forms.CharField(label=_("Type code"))
    attempts = forms.IntegerField(label=_("Attempts"), min_value=0, required=False)
    priority = forms.IntegerField(label=_("Priority"), required=False)


def communications_to_rows(value: dict) -> list[dict]:
    rows = []
    for kind in dict(value or {}).get("types") or []:
        first = next(iter(kind.get("ranges") or []), {})
        extra = {key: first[key] for key in ("attempts", "priority") if key in first}
        rows.append({"type_name": kind["name"], "type_code": kind["code"], **extra})
    return rows


def communications_from_rows(rows: list[dict]) -> dict[str, Any]:
    """Webitel's ``communications`` less the times: each type keeps its attempts and
    priority in one range, whose startTime/endTime the field map fills in."""
    types: dict[str, dict] = {}
    for row in rows:
        time_range = {key: row[key] for key in ("attempts", "priority") if row.get(key) is not None}
        types.setdefault(
            row["type_code"],
            {"name": row["type_name"], "code": row["type_code"], "ranges": [time_range]},
        )
    return {"types": list(types.values())}


# --- the form -------------------------------------------------------------------------


class WebitelCampaignForm(VendorSettingsForm):
    vendor_label = "Webitel"
    field_map = FIELD_MAP
    conditions = tuple(
        Condition(name, "amd_enabled", ("1",), required=False)
        for name in AMD
        if name != "amd_enabled"
    )

    name = forms.CharField(label=_("Name on Webitel"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False)
    type = forms.ChoiceField(label=_("Type"), choices=TYPES)
    priority = forms.IntegerField(label=_("Priority"), required=False, initial=0)
    calendar_id = forms.RegexField(
        label=_("Calendar id"),
        regex=r"^[0-9a-fA-F]{24}\Z",
        error_messages={"invalid": _("A Webitel calendar id is 24 hexadecimal characters.")},
    )
    calendar_name = forms.CharField(label=_("Calendar name"))

    parameters_limit = _count(_("Simultaneous calls limit"))
    parameters_minBillSec = _count(_("Minimum billed seconds"))
    parameters_originateTimeout = _count(_("Originate timeout (seconds)"))
    parameters_maxTryCount = _count(_("Maximum attempts"))
    parameters_intervalTryCount = _count(_("Seconds between attempts"))
    parameters_wrapUpTime = _count(_("Wait for call result (seconds)"))
    parameters_predictAdjust = _count(_("Predictive adjust after attempts"))
    parameters_targetPredictiveSilentCalls = forms.FloatField(
        label=_("Target lost-call rate"), required=False, min_value=0
    )
    parameters_maxPredictiveSilentCalls = forms.FloatField(
        label=_("Maximum lost-call rate"), required=False, min_value=0
    )
    parameters_waitingForResultStatus = SwitchField(label=_("Wait for call result"))
    parameters_recordSession = SwitchField(label=_("Record sessions"))
    parameters_eternalQueue = SwitchField(label=_("Eternal campaign"))
    parameters_retryAbandoned = SwitchField(label=_("Retry abandoned"))
    parameters_retriesByNumber = SwitchField(label=_("Retries counted per number"))
    parameters_oneDayTask = SwitchField(label=_("One-day campaign"))

    amd_enabled = SwitchField(label=_("Answering machine detection"))
    amd_allowNotSure = SwitchField(label=_("Pass calls when not sure"))
    amd_maximumWordLength = _count(_("Maximum word length (ms)"))
    amd_maximumNumberOfWords = _count(_("Maximum number of words"))
    amd_betweenWordsSilence = _count(_("Silence between words (ms)"))
    amd_minWordLength = _count(_("Minimum word length (ms)"))
    amd_totalAnalysisTime = _count(_("Total analysis time (ms)"))
    amd_silenceThreshold = _count(_("Silence threshold (ms)"))
    amd_afterGreetingSilence = _count(_("Silence after greeting (ms)"))
    amd_greeting = _count(_("Maximum greeting (ms)"))
    amd_initialSilence = _count(_("Maximum initial silence (ms)"))

    variables = RowsField(
        label=_("Variables"),
        row_form=VariableRow,
        required=False,
        to_rows=variables_to_rows,
        from_rows=variables_from_rows,
    )
    numberStrategy = forms.ChoiceField(label=_("Number strategy"), choices=NUMBER_STRATEGIES)
    membersStrategy = forms.ChoiceField(label=_("Members strategy"), choices=MEMBERS_STRATEGIES)
    agentStrategy = forms.ChoiceField(label=_("Agent strategy"), choices=AGENT_STRATEGIES)
    autoResetStats = SwitchField(label=_("Reset statistics at midnight"))
    resources = RowsField(
        label=_("Resources"),
        row_form=DestinationRow,
        required=False,
        to_rows=resources_to_rows,
        from_rows=resources_from_rows,
        help_text=_("One row per destination; rows with the same pattern form one resource."),
    )

    agentParams_callTimeout = _count(_("Agent call timeout (seconds)"))
    agentParams_wrapUpTime = _count(_("Agent wrap-up (seconds)"))
    agentParams_maxNoAnswer = _count(_("Maximum unanswered in a row"))
    agentParams_busyDelayTime = _count(_("Delay when busy (seconds)"))
    agentParams_rejectDelayTime = _count(_("Delay when rejected (seconds)"))
    agentParams_noAnswerDelayTime = _count(_("Delay when not answered (seconds)"))
    agents = ListField(
        label=_("Agents"), required=False, help_text=_("Operator numbers, separated by commas.")
    )
    skills = ListField(label=_("Skills"), required=False, help_text=_("Separated by commas."))

    communications = RowsField(
        label=_("Communication types"),
        row_form=RangeRow,
        required=False,
        to_rows=communications_to_rows,
        from_rows=communications_from_rows,
        help_text=_(
            "One row per type. Each type's time range is the calling window's hours, "
            "in each member's own time zone (from the campaign)."
        ),
    )

    def settings(self) -> dict[str, Any]:
        flat = super().settings()
        body: dict[str, Any] = {}
        for name, value in flat.items():
            if name in ("calendar_id", "calendar_name"):
                body.setdefault("calendar", {})[name.removeprefix("calendar_")] = value
                continue
            nested = next((obj for obj, keys in NESTED.items() if name in keys), None)
            if nested:
                value = bool(value) if isinstance(self.fields[name], SwitchField) else value
                body.setdefault(nested, {})[NESTED[nested][name]] = value
            elif isinstance(self.fields[name], SwitchField):
                body[name] = bool(value)
            else:
                body[name] = value
        return body

    @classmethod
    def api_shape(cls) -> dict[str, str | dict[str, str]]:
        """Webitel's own body: ``calendar``, ``parameters``, ``amd`` and ``agentParams``
        are objects, as in the document."""
        shape: dict[str, str | dict[str, str]] = {}
        for name in cls.base_fields:
            nested = next((obj for obj, keys in NESTED.items() if name in keys), None)
            if name.startswith("calendar_"):
                shape.setdefault("calendar", {})[name.removeprefix("calendar_")] = name
            elif nested:
                shape.setdefault(nested, {})[NESTED[nested][name]] = name
            else:
                shape[name] = name
        return shape

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The document's example body spells the agent strategy the engine's way
        (``longest_idle_agent``); taken as the table's name it stands for."""
        values, unknown = super().from_api(data)
        strategy = values.get("agentStrategy")
        engine_names = {engine: table for table, engine in AGENT_STRATEGY_ENGINE_NAMES.items()}
        if isinstance(strategy, str) and strategy in engine_names:
            values["agentStrategy"] = engine_names[strategy]
        return values, unknown

    @classmethod
    def initial_from_settings(cls, settings: dict[str, Any] | None) -> dict[str, Any]:
        settings = dict(settings or {})
        initial = {}
        for key, value in (settings.pop("calendar", None) or {}).items():
            initial[f"calendar_{key}"] = value
        for obj, keys in NESTED.items():
            inner = settings.pop(obj, None) or {}
            for name, key in keys.items():
                if key in inner:
                    initial[name] = inner[key]
        initial.update(super().initial_from_settings(settings))
        return initial
