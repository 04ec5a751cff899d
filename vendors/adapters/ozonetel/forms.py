"""Ozonetel CloudAgent campaign settings (``shared/vendors/ozonetel-add-campaign-data.txt``
and ``api-facts.md`` §5).

The cleaned data uses **our own neutral names**; ``payloads.py`` maps them:
``campaign_name`` → ``campaign_name``/``campaignName`` (Ozonetel matches updates on the
name, so it cannot be renamed there), ``check_duplicate`` → ``checkDuplicate``,
``start_on_add`` → ``action=START``, the lead expiry policy → each lead's ``ExpiryDate``
(``expiry_policy``: ``none``, ``days`` after the lead is pushed, or a fixed
``expiry_date``), and ``agent_skills`` (``[{"agent_id", "skill"}]``) → each lead's
``agentId`` / ``skill``.
"""

from __future__ import annotations

from django import forms

from vendors.adapters.forms_common import Condition, RowsField, SwitchField, VendorSettingsForm

EXPIRY_POLICIES = [
    ("none", "Leads do not expire"),
    ("days", "Expire a number of days after they are pushed"),
    ("date", "Expire on a fixed date"),
]


class AgentSkillRow(forms.Form):
    agent_id = forms.CharField(label="Agent id", required=False, max_length=100)
    skill = forms.CharField(label="Skill", required=False, max_length=100)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("agent_id") and not cleaned.get("skill"):
            raise forms.ValidationError("Give an agent id, a skill or both.")
        return cleaned


class OzonetelCampaignForm(VendorSettingsForm):
    vendor_label = "Ozonetel"
    conditions = (
        Condition("expiry_days", "expiry_policy", ("days",)),
        Condition("expiry_date", "expiry_policy", ("date",)),
    )

    campaign_name = forms.RegexField(
        label="Campaign name on Ozonetel",
        regex=r"^[A-Za-z0-9_ -]{1,100}\Z",
        error_messages={"invalid": "Use letters, digits, spaces, - and _ (at most 100)."},
        help_text="Ozonetel finds the campaign by this name; it cannot be renamed there.",
    )
    check_duplicate = SwitchField(
        label="Skip duplicates", help_text="Ozonetel's checkDuplicate: do not add a number twice."
    )
    start_on_add = SwitchField(label="Start the campaign when leads are added")
    expiry_policy = forms.ChoiceField(label="Lead expiry", choices=EXPIRY_POLICIES, initial="none")
    expiry_days = forms.IntegerField(
        label="Days until a lead expires", required=False, min_value=1, max_value=3650
    )
    expiry_date = forms.DateField(
        label="Expiry date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agent_skills = RowsField(
        label="Agent and skill mapping",
        row_form=AgentSkillRow,
        required=False,
        help_text="Leads are routed to these agents or skills, in turn.",
    )

    def clean_expiry_date(self):
        value = self.cleaned_data.get("expiry_date")
        return value.isoformat() if value else None
