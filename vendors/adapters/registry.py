"""The vendor registry: an explicit dict, no import scanning.

Adapter classes are imported lazily by dotted path so that importing the registry (for
example to list vendor kinds in a form) does not import five vendors' code.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django import forms

    from vendors.adapters.base import BaseAdapter

ADAPTERS: dict[str, str] = {
    "acefone": "vendors.adapters.acefone.adapter.AcefoneAdapter",
    "voicenter": "vendors.adapters.voicenter.adapter.VoicenterAdapter",
    "webitel": "vendors.adapters.webitel.adapter.WebitelAdapter",
    "jtel": "vendors.adapters.jtel.adapter.JtelAdapter",
    "ozonetel": "vendors.adapters.ozonetel.adapter.OzonetelAdapter",
}

SETTINGS_FORMS: dict[str, str] = {
    "acefone": "vendors.adapters.acefone.forms.AcefoneCampaignForm",
    "voicenter": "vendors.adapters.voicenter.forms.VoicenterCampaignForm",
    "webitel": "vendors.adapters.webitel.forms.WebitelCampaignForm",
    "jtel": "vendors.adapters.jtel.forms.JtelCampaignForm",
    "ozonetel": "vendors.adapters.ozonetel.forms.OzonetelCampaignForm",
}


class UnknownVendor(LookupError):
    pass


@cache
def adapter_class(kind: str) -> type[BaseAdapter]:
    try:
        return import_string(ADAPTERS[kind])
    except KeyError:
        raise UnknownVendor(kind) from None


@cache
def settings_form_class(kind: str) -> type[forms.Form]:
    """The vendor's campaign settings form. It validates the HTML form, the HTMX inline
    validation and the API alike."""
    try:
        return import_string(SETTINGS_FORMS[kind])
    except KeyError:
        raise UnknownVendor(kind) from None
