"""Voicenter ForwardDialer settings (``shared/vendors/voicenter-forward-dialer.txt``).

Voicenter campaigns cannot be created through the API: the console links an existing
one by its ``Code``, chosen from the account's GetCampaignList when the account can be
reached, and typed in (and checked for shape) when it cannot.

The cleaned data uses **Voicenter's own names**: ``Code``; UpdateCampaignStrategy's
``setQueueForMonitoring``, ``setQueueMaximumCallers`` and ``setCoefficient``;
ConfigureIvrCampaign's ``setMaxCalls`` (sent inside ``ConcurrentStrategy``) and
``RepresentativeList``; and ``members``, the ``Member`` codes for AddMember.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.adapters.forms_common import ListField, VendorSettingsForm
from vendors.adapters.remote_choices import RemoteChoiceWidget
from vendors.adapters.voicenter.field_map import FIELD_MAP


class VoicenterCampaignForm(VendorSettingsForm):
    vendor_label = "Voicenter"
    field_map = FIELD_MAP

    Code = forms.RegexField(
        label=_("Voicenter campaign"),
        help_text=_("The campaign's Code on Voicenter, as GetCampaignList (6.3) lists it."),
        regex=r"^[A-Za-z0-9_-]{4,64}\Z",
        error_messages={
            "invalid": _("A Voicenter campaign Code is 4 to 64 letters, digits, - or _.")
        },
        widget=RemoteChoiceWidget(source="campaigns", typed_hint="type the campaign's Code"),
    )
    setQueueForMonitoring = forms.IntegerField(
        label=_("Queue for monitoring"), required=False, min_value=0
    )
    setQueueMaximumCallers = forms.IntegerField(
        label=_("Queue maximum callers"),
        required=False,
        min_value=0,
        help_text=_("0 means no limit."),
    )
    setCoefficient = forms.FloatField(label=_("Coefficient"), required=False, min_value=0)
    setMaxCalls = forms.IntegerField(
        label=_("IVR maximum concurrent calls"), required=False, min_value=1
    )
    RepresentativeList = ListField(
        label=_("IVR representatives"),
        required=False,
        help_text=_("SIP names, separated by commas."),
    )
    members = ListField(
        label=_("Members"),
        required=False,
        help_text=_("Voicenter Member codes, separated by commas."),
    )
