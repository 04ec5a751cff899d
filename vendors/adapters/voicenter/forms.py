"""Voicenter ForwardDialer settings (``shared/vendors/voicenter-forward-dialer.txt``).

Voicenter campaigns cannot be created through the API: the console links an existing
one by its ``Code``, offered from the account's GetCampaignList when the account can be
reached, and typed in (and checked for shape) when it cannot.

The cleaned data uses **Voicenter's own names**: ``Code``; UpdateCampaignStrategy's
``setQueueForMonitoring``, ``setQueueMaximumCallers`` and ``setCoefficient``;
ConfigureIvrCampaign's ``setMaxCalls`` (sent inside ``ConcurrentStrategy``) and
``RepresentativeList``; and ``members``, the ``Member`` codes for AddMember.
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache

from vendors.adapters.forms_common import ListField, VendorSettingsForm
from vendors.adapters.voicenter.field_map import FIELD_MAP

CODE_FIELD_KWARGS = {
    "label": "Voicenter campaign",
    "help_text": "The campaign's Code on Voicenter.",
}
REMOTE_CHOICES_CACHE_SECONDS = 60


def remote_campaign_choices(account) -> tuple[list[tuple[str, str]] | None, str]:
    """The account's campaigns as choices, or ``None`` and the reason they are missing.

    Cached briefly: inline validation rebuilds the form on every change."""
    try:
        from vendors.selectors import vendor_remote_campaigns
    except ImportError:
        return None, "The list of Voicenter campaigns is not available yet: type the Code."
    from vendors.adapters.errors import VendorError

    cache_key = f"voicenter-remote-campaigns:{account.pk}"
    choices = cache.get(cache_key)
    if choices is not None:
        return choices, ""
    try:
        remote = vendor_remote_campaigns(account=account)
    except VendorError as exc:
        return None, f"Could not fetch the campaigns from Voicenter ({exc.message}): type the Code."
    choices = [
        (campaign.remote_id, f"{campaign.name} ({campaign.remote_id})") for campaign in remote
    ]
    cache.set(cache_key, choices, REMOTE_CHOICES_CACHE_SECONDS)
    return choices, ""


class VoicenterCampaignForm(VendorSettingsForm):
    vendor_label = "Voicenter"
    field_map = FIELD_MAP

    Code = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{4,64}\Z",
        error_messages={"invalid": "A Voicenter campaign Code is 4 to 64 letters, digits, - or _."},
        **CODE_FIELD_KWARGS,
    )
    setQueueForMonitoring = forms.IntegerField(
        label="Queue for monitoring", required=False, min_value=0
    )
    setQueueMaximumCallers = forms.IntegerField(
        label="Queue maximum callers", required=False, min_value=0, help_text="0 means no limit."
    )
    setCoefficient = forms.FloatField(label="Coefficient", required=False, min_value=0)
    setMaxCalls = forms.IntegerField(
        label="IVR maximum concurrent calls", required=False, min_value=1
    )
    RepresentativeList = ListField(
        label="IVR representatives", required=False, help_text="SIP names, separated by commas."
    )
    members = ListField(
        label="Members", required=False, help_text="Voicenter Member codes, separated by commas."
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, account=account, **kwargs)
        self.code_note = ""
        if account is None:
            return
        choices, self.code_note = remote_campaign_choices(account)
        if choices is not None:
            current = self.get_initial_for_field(self.fields["Code"], "Code")
            if current and current not in dict(choices):
                choices = [*choices, (current, f"{current} (no longer listed by Voicenter)")]
            self.fields["Code"] = forms.ChoiceField(
                choices=[("", "Choose a campaign"), *choices], **CODE_FIELD_KWARGS
            )
        else:
            self.fields["Code"].help_text = self.code_note
