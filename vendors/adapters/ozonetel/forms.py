"""Ozonetel CloudAgent campaign settings (``shared/vendors/ozonetel-add-campaign-data.txt``
and ``api-facts.md`` §5).

The cleaned data uses **our own neutral names**; ``payloads.py`` maps them:
``campaign_name`` → ``campaign_name``/``campaignName`` (Ozonetel matches updates on the
name, so it cannot be renamed there), ``check_duplicate`` → ``checkDuplicate``,
``start_on_add`` → ``action=START``, the lead expiry policy → each lead's ``ExpiryDate``
(``expiry_policy``: ``none``, ``days`` after the lead is pushed, or a fixed
``expiry_date``), and the routing (``field_map.py``): ``agent_id`` (derived: the
campaign's agents' Ozonetel ids), ``skill`` and ``skills`` (skill-only targets) → each
lead's ``agentId`` / ``skill``.

campaignControl's own keys (api-facts §5.5): ``campaign_type`` → ``campaignType``,
``routing_method`` → ``dialMethod``, ``did`` / ``fallback_did`` → ``did`` /
``fallbackDID``, ``runtime_start`` / ``runtime_end`` → ``runtimeStart`` / ``runtimeEnd``
(``HH:MM:SS``), ``pacing_ratio``, ``max_drop_ratio`` and ``map_name`` (the mapping file's
name). Left empty, the mandatory ones are derived by ``payloads.campaign_control_body``
from the console campaign (dial method, caller ID, the agents and skills, the default
calling window); the optional ones are then not sent, as the documentation asks.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.adapters.forms_common import Condition, ListField, SwitchField, VendorSettingsForm
from vendors.adapters.ozonetel.field_map import FIELD_MAP

EXPIRY_POLICIES = [
    ("none", _("Leads do not expire")),
    ("days", _("Expire a number of days after they are pushed")),
    ("date", _("Expire on a fixed date")),
]


# campaignControl's documented values (api-facts §5.5 [D]).
CAMPAIGN_TYPES = [
    ("", _("Same as the campaign's dial method")),
    ("Preview", "Preview"),
    ("Progressive", "Progressive"),
    ("IVR", "IVR"),
    ("Predictive", "Predictive"),
]
ROUTING_METHODS = [
    ("", _("From the campaign's agents and skills")),
    ("Nonagentwise", _("Nonagentwise: any free agent")),
    ("Agentwise", _("Agentwise: the lead's agent")),
    ("Skillwise", _("Skillwise: the lead's skill")),
]
RUN_TIME_FORMAT = "%H:%M:%S"
DID_ERROR = _("Enter the number as digits with the country code, for example 918045678900.")


class RunTimeField(forms.TimeField):
    """A time of day, ``HH:MM:SS`` as campaignControl takes it (a browser may post HH:MM)."""

    widget = forms.TimeInput(attrs={"type": "time", "step": "1"})
    input_formats = [RUN_TIME_FORMAT, "%H:%M"]
    default_error_messages = {"invalid": _("Enter a time as HH:MM:SS, for example 09:00:00.")}

    def prepare_value(self, value):
        return value if isinstance(value, str) else super().prepare_value(value)

    def clean(self, value) -> str | None:
        cleaned = super().clean(value)
        return cleaned.strftime(RUN_TIME_FORMAT) if cleaned else None


class OzonetelCampaignForm(VendorSettingsForm):
    vendor_label = "Ozonetel"
    field_map = FIELD_MAP
    field_order = (
        "campaign_name",
        "campaign_type",
        "routing_method",
        "did",
        "fallback_did",
        "runtime_start",
        "runtime_end",
        "pacing_ratio",
        "max_drop_ratio",
        "map_name",
    )
    conditions = (
        Condition("expiry_days", "expiry_policy", ("days",)),
        Condition("expiry_date", "expiry_policy", ("date",)),
    )

    campaign_name = forms.RegexField(
        label=_("Campaign name on Ozonetel"),
        regex=r"^[A-Za-z0-9_ -]{1,100}\Z",
        error_messages={"invalid": _("Use letters, digits, spaces, - and _ (at most 100).")},
        help_text=_("Ozonetel finds the campaign by this name; it cannot be renamed there."),
    )
    check_duplicate = SwitchField(
        label=_("Skip duplicates"),
        help_text=_("Ozonetel's checkDuplicate: do not add a number twice."),
    )
    start_on_add = SwitchField(label=_("Start the campaign when leads are added"))
    expiry_policy = forms.ChoiceField(
        label=_("Lead expiry"), choices=EXPIRY_POLICIES, initial="none"
    )
    expiry_days = forms.IntegerField(
        label=_("Days until a lead expires"), required=False, min_value=1, max_value=3650
    )
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agent_id = ListField(
        label=_("Agents"),
        required=False,
        help_text=_("Leads are routed to these agents in turn, then to the skills below."),
    )
    skill = forms.CharField(
        label=_("Skill"),
        required=False,
        max_length=100,
        help_text=_("The skill each lead routed to an agent carries. Empty: none."),
    )
    skills = ListField(
        label=_("Skill-only routing"),
        required=False,
        help_text=_(
            "Skills leads are also routed to, without an agent, in turn. Separated by commas."
        ),
    )
    campaign_type = forms.ChoiceField(
        label=_("Campaign type"), choices=CAMPAIGN_TYPES, required=False, initial=""
    )
    routing_method = forms.ChoiceField(
        label=_("Dial method"),
        choices=ROUTING_METHODS,
        required=False,
        initial="",
        help_text=_("Ozonetel's dialMethod: how a lead finds its agent."),
    )
    did = forms.RegexField(
        label=_("DID"),
        regex=r"^\+?\d{6,15}\Z",
        required=False,
        error_messages={"invalid": DID_ERROR},
        help_text=_("The number Ozonetel calls from. Empty: the campaign's caller ID."),
    )
    fallback_did = forms.RegexField(
        label=_("Fallback DID"),
        regex=r"^\+?\d{6,15}\Z",
        required=False,
        error_messages={"invalid": DID_ERROR},
        help_text=_("Used when the DID cannot call."),
    )
    runtime_start = RunTimeField(
        label=_("Run time start"), required=False, help_text=_("Empty: 08:00:00.")
    )
    runtime_end = RunTimeField(
        label=_("Run time end"), required=False, help_text=_("Empty: 21:00:00.")
    )
    pacing_ratio = forms.RegexField(
        label=_("Pacing ratio"),
        regex=r"^[1-9]\d{0,2}:[1-9]\d{0,2}\Z",
        required=False,
        error_messages={"invalid": _("Enter the ratio as agents:calls, for example 1:2.")},
        help_text=_("Agents to calls, as in 1:2."),
    )
    max_drop_ratio = forms.DecimalField(
        label=_("Max drop ratio"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("The highest share of answered calls that may be dropped, in percent."),
    )
    map_name = forms.RegexField(
        label=_("Mapping file name"),
        regex=r"^[A-Za-z0-9_ .-]{1,100}\Z",
        required=False,
        error_messages={"invalid": _("Use letters, digits, spaces, ., - and _ (at most 100).")},
        help_text=_(
            "The campaign's mapping file in CloudAgent; its headers must include "
            "those the console pushes."
        ),
    )

    def clean_expiry_date(self):
        value = self.cleaned_data.get("expiry_date")
        return value.isoformat() if value else None

    def clean_did(self):
        return (self.cleaned_data.get("did") or "").lstrip("+")

    def clean_fallback_did(self):
        return (self.cleaned_data.get("fallback_did") or "").lstrip("+")

    def clean_max_drop_ratio(self):
        value = self.cleaned_data.get("max_drop_ratio")
        return None if value is None else str(value.normalize())

    def clean(self):
        cleaned = super().clean()
        self._check_run_times(cleaned)
        self._check_routing(cleaned)
        if cleaned.get("did") and cleaned.get("did") == cleaned.get("fallback_did"):
            self.add_error("fallback_did", gettext("The fallback DID must differ from the DID."))
        return cleaned

    def _check_run_times(self, cleaned: dict) -> None:
        start, end = cleaned.get("runtime_start"), cleaned.get("runtime_end")
        if "runtime_start" in self.errors or "runtime_end" in self.errors:
            return
        if bool(start) != bool(end):
            missing = "runtime_end" if start else "runtime_start"
            self.add_error(
                missing, gettext("Give both run times, or neither (then 08:00:00–21:00:00).")
            )
        elif start and end and _seconds(end) <= _seconds(start):
            self.add_error("runtime_end", gettext("The run time end must be after its start."))

    def _check_routing(self, cleaned: dict) -> None:
        # Agentwise without agents is refused before sync (field_map.py): the agents are
        # the campaign's.
        if cleaned.get("routing_method") == "Skillwise" and not (
            cleaned.get("skill") or cleaned.get("skills")
        ):
            self.add_error(
                "skill", gettext("Skillwise routing needs a skill or a skill-only target.")
            )

    def clean_skills(self):
        skills = self.cleaned_data.get("skills") or []
        if any(len(skill) > 100 for skill in skills):
            raise forms.ValidationError(gettext("Each skill must be at most 100 characters."))
        return skills


def _seconds(value: str) -> int:
    moment = datetime.strptime(value, RUN_TIME_FORMAT)
    return moment.hour * 3600 + moment.minute * 60 + moment.second
