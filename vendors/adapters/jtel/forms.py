"""jtel dialler campaign settings (``shared/vendors/jtel-dialler-campaigns.txt``).

jtel campaigns are created by cloning a template campaign
(``POST {baseURL}/dialler/campaigns/clone``). The cleaned data uses **jtel's own names**,
the clone body: ``source`` (the template's name), ``destination`` (the new campaign's
name), ``userData``, and ``dtFrom`` / ``dtTo`` (release 3.39 and later) as
``YYYY-MM-DD HH:MM:SS`` strings.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.adapters.forms_common import VendorSettingsForm
from vendors.adapters.jtel.field_map import FIELD_MAP, JTEL_DATETIME
from vendors.adapters.remote_choices import RemoteChoiceWidget


class JtelDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"})
    input_formats = [JTEL_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                value = datetime.strptime(value, JTEL_DATETIME)
            except ValueError:
                return value
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return value

    def clean(self, value) -> str | None:
        cleaned = super().clean(value)
        return cleaned.strftime(JTEL_DATETIME) if cleaned else None

    def to_python(self, value):
        # jtel's times are the dialler's wall-clock times: keep them naive.
        if isinstance(value, str):
            for fmt in self.input_formats:
                try:
                    return datetime.strptime(value.strip(), fmt)
                except ValueError:
                    continue
            if value.strip():
                raise forms.ValidationError(
                    gettext("Enter a date and time, for example 2026-05-01 08:00:00.")
                )
            return None
        return super().to_python(value)


class JtelCampaignForm(VendorSettingsForm):
    vendor_label = "jtel"
    field_map = FIELD_MAP

    source = forms.CharField(
        label=_("Template campaign"),
        max_length=200,
        help_text=_("The jtel campaign to clone, by its name (GET /dialler/campaigns lists them)."),
        widget=RemoteChoiceWidget(
            source="templates", by_name=True, typed_hint="type the template campaign's name"
        ),
    )
    destination = forms.CharField(
        label=_("Destination name"),
        max_length=200,
        help_text=_("Name of the new campaign on jtel."),
    )
    userData = forms.CharField(label=_("User data"), required=False, max_length=500)
    dtFrom = JtelDateTimeField(label=_("Runs from"), required=False)
    dtTo = JtelDateTimeField(label=_("Runs to"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("destination"):
            self.add_error(
                "destination", gettext("The destination must differ from the template campaign.")
            )
        start, end = cleaned.get("dtFrom"), cleaned.get("dtTo")
        if start and end and end <= start:
            self.add_error("dtTo", gettext("“Runs to” must be after “Runs from”."))
        return cleaned
