from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from webhooks.models import EventType
from webhooks.services.endpoints import endpoint_url_refusal


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An HTTPS address on the public internet (the vendor accounts' rules)."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        help_text=_("The team whose events it receives."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Off: nothing is sent.")
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        refusal = endpoint_url_refusal(url)
        if refusal:
            raise forms.ValidationError(refusal)
        return url
