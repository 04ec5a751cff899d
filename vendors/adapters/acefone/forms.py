"""Acefone's campaign settings: every body field of "Add a dialer campaign"
(``shared/vendors/acefone-add-dialer-campaign.txt``).

The cleaned data uses **Acefone's own field names and types**, so ``payloads.py`` sends
it almost as is: fields documented as ``string`` are strings (whole numbers as digit
strings), 0/1 fields are the integers 0 or 1, enums are their documented id strings,
``lead_list_map`` is ``[{"list_id": int, "list_status": 0|1}]``, ``dial_status`` and
``manual_lead_list`` are lists of strings, ``agent`` a list of integers. Optional fields
left empty are absent, and a conditional field whose condition is not met is absent too
(``auto_dial_duration`` outside Preview, ``dial_ratio`` outside Ratio, the inbound fields
when inbound is off, ``manual_lead_list`` when manual dial is off).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.adapters.acefone.field_map import FIELD_MAP
from vendors.adapters.forms_common import (
    Condition,
    DigitsField,
    ListField,
    RowsField,
    SwitchField,
    VendorSettingsForm,
)
from vendors.adapters.remote_choices import RemoteChoiceWidget

DIAL_METHODS = [("1", "Preview"), ("2", "Ratio")]
LIST_TRAVERSAL_ORDERS = [("1", "Oldest First"), ("2", "Newest First"), ("3", "Random")]
RING_STRATEGIES = [("1", "Random"), ("2", "Fewest Calls"), ("3", "Longest Wait Time")]
CONNECT_AGENT_THROUGH = [
    ("1", "Agent Mobile"),
    ("2", "Agent Extension"),
    ("3", "Both (Extension first, otherwise mobile)"),
]
# The document lists them in this order, with id 3 before 2.
DIAL_IN_TYPES = [
    ("1", "Dial In (Session)"),
    ("3", "Dial Out (Session)"),
    ("2", "Dial Out (Each Call)"),
]

# "can select upto 3 active lead lists"
MAX_ACTIVE_LEAD_LISTS = 3


def _optional_choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", gettext("(not set)")), *choices]


class LeadListMapRow(forms.Form):
    list_id = forms.IntegerField(
        label=_("Acefone list id"),
        min_value=1,
        widget=RemoteChoiceWidget(source="lead_lists", typed_hint="type the list id"),
    )
    list_status = SwitchField(label=_("Active"))


class AcefoneCampaignForm(VendorSettingsForm):
    vendor_label = "Acefone"
    field_map = FIELD_MAP
    conditions = (
        Condition("auto_dial_duration", "dial_method", ("1",)),
        Condition("dial_ratio", "dial_method", ("2",)),
        Condition("inbound_queue", "enable_inbound", ("1",)),
        Condition("inbound_lead_list", "enable_inbound", ("1",)),
        Condition("manual_lead_list", "manual_dial_enabled", ("1",)),
    )

    name = forms.CharField(label=_("Name on Acefone"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dial_method = forms.ChoiceField(label=_("Dial method"), choices=DIAL_METHODS)
    auto_dial_duration = DigitsField(
        label=_("Auto dial duration"),
        required=False,
        help_text=_("Preview seconds before dialling."),
    )
    dial_ratio = forms.RegexField(
        label=_("Dial ratio"),
        regex=r"^\d+(\.\d+)?\Z",
        required=False,
        error_messages={"invalid": _("Enter a number, for example 2 or 1.5.")},
        help_text=_("Ratio in which agents will be called."),
    )
    outbound_caller_id = forms.CharField(label=_("Outbound caller ID"), max_length=40)
    agent_wise_caller_id = SwitchField(label=_("Agent-wise caller ID"))
    map_agent_caller_id = forms.CharField(
        label=_("Map agent caller ID"), required=False, help_text=_("Each agent's caller ID.")
    )
    lead_list_map = RowsField(
        label=_("Lead list map"),
        row_form=LeadListMapRow,
        required=False,
        help_text=_("Acefone lead lists and whether each is active (at most 3 active)."),
    )
    agent_wise_lead_list = SwitchField(label=_("Agent-wise lead list"))
    map_agent_lead_list = forms.CharField(label=_("Map agent lead list"), required=False)
    list_traversal_order = forms.ChoiceField(
        label=_("List traversal order"),
        choices=_optional_choices(LIST_TRAVERSAL_ORDERS),
        required=False,
    )
    agent_script = forms.CharField(label=_("Agent script id"), required=False)
    disposition_list = forms.CharField(label=_("Disposition list id"), max_length=60)
    number_of_retry = DigitsField(label=_("Number of retries"))
    retry_after_minutes = DigitsField(label=_("Retry after (minutes)"))
    auto_disposition_cancel_duration = DigitsField(label=_("Wrap-up time (seconds)"))
    dial_status = ListField(
        label=_("Dial status"), help_text=_("Dial statuses, separated by commas.")
    )
    time_group = forms.CharField(label=_("Campaign active time id"), required=False)
    time_group_recording = forms.CharField(label=_("Active time recording id"), required=False)
    ring_timeout = DigitsField(label=_("Ring timeout (seconds)"))
    quick_transfer_list = forms.CharField(label=_("Quick transfer list id"), required=False)
    account_dnd_list = forms.CharField(label=_("DND list id"), required=False)
    hide_lead_details = SwitchField(label=_("Hide lead details"), mandatory=True)
    update_lead_details = SwitchField(label=_("Update lead details"), mandatory=True)
    automatic_schedule_call_enabled = SwitchField(label=_("Automatic schedule call"))
    enable_hangup = SwitchField(label=_("Enable hangup"))
    enable_transfer = SwitchField(label=_("Enable transfer"))
    enable_external_transfer = SwitchField(label=_("Enable external transfer"))
    after_call_work_duration = DigitsField(label=_("After-call work (seconds)"), required=False)
    enable_web_form = SwitchField(label=_("Enable web form"))
    webform_url = forms.URLField(label=_("Web form URL"), required=False, assume_scheme="https")
    music_on_hold = forms.CharField(label=_("Music on hold id"), required=False)
    ring_strategy = forms.ChoiceField(
        label=_("Ring strategy"), choices=_optional_choices(RING_STRATEGIES), required=False
    )
    break_list = forms.CharField(label=_("Break (pause code) list id"), required=False)
    connect_agent_through = forms.ChoiceField(
        label=_("Connect agent through"), choices=CONNECT_AGENT_THROUGH
    )
    dial_in_type = forms.ChoiceField(label=_("Dial in type"), choices=DIAL_IN_TYPES)
    agent_only_callback = SwitchField(label=_("Agent-only callback"), mandatory=True)
    agent_dial_in_number = forms.CharField(label=_("Agent dial-in number"), required=False)
    agent = ListField(
        label=_("Agents"), item_type=int, help_text=_("Acefone agent ids, separated by commas.")
    )
    enforce_agent_pause_code = forms.IntegerField(
        label=_("Enforce agent pause code"), required=False, min_value=0
    )
    manual_dial_enabled = SwitchField(label=_("Manual dial"))
    manual_lead_list = ListField(
        label=_("Manual lead lists"),
        required=False,
        help_text=_("Lead list ids, separated by commas."),
    )
    enable_inbound = SwitchField(label=_("Enable inbound"))
    inbound_queue = forms.CharField(label=_("Inbound queue id"), required=False)
    inbound_lead_list = forms.CharField(label=_("Inbound lead list id"), required=False)
    enable_agent_opt_out = SwitchField(label=_("Agent opt-out from inbound queue"))
    enable_auto_answer = SwitchField(label=_("Auto answer"))
    call_qualification_duration = DigitsField(
        label=_("Call qualification (seconds)"), required=False
    )
    announcement_recording = forms.CharField(label=_("Welcome tune recording id"), required=False)
    queue_timeout = DigitsField(label=_("Queue timeout (seconds)"), required=False)

    def clean_lead_list_map(self) -> list[dict]:
        rows = self.cleaned_data["lead_list_map"]
        active = sum(1 for row in rows if row["list_status"] == 1)
        if active > MAX_ACTIVE_LEAD_LISTS:
            raise ValidationError(
                gettext(
                    "Acefone allows at most %(max_active_lead_lists)s active lead lists; "
                    "%(active)s are active."
                )
                % {"max_active_lead_lists": MAX_ACTIVE_LEAD_LISTS, "active": active}
            )
        list_ids = [row["list_id"] for row in rows]
        if len(list_ids) != len(set(list_ids)):
            raise ValidationError(gettext("Each Acefone lead list may appear only once."))
        return rows
