from __future__ import annotations

from zoneinfo import available_timezones

import phonenumbers
from django import forms

from accounts.models import Team
from leads.importing.mapping import TARGET_CHOICES
from leads.importing.sniff import DELIMITER_CHOICES, ENCODING_CHOICES
from leads.models import DuplicatePolicy, DuplicateScope, LeadList, LeadStatus

COUNTRY_CHOICES = sorted(
    (region, f"{region} (+{phonenumbers.country_code_for_region(region)})")
    for region in phonenumbers.SUPPORTED_REGIONS
)


class LeadListForm(forms.ModelForm):
    default_country = forms.ChoiceField(choices=COUNTRY_CHOICES, initial="US")

    class Meta:
        model = LeadList
        fields = ["name", "description", "team", "default_country", "default_timezone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_supervisor:
            self.fields["team"].queryset = Team.objects.all()
        else:
            del self.fields["team"]  # a team lead's lists are their team's

    def clean_default_timezone(self) -> str:
        value = self.cleaned_data["default_timezone"]
        if value not in available_timezones():
            raise forms.ValidationError(f"{value!r} is not a time zone name like Europe/Berlin.")
        return value


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="CSV, TSV or semicolon-separated text in any common encoding, or .xlsx."
    )


class FileSettingsForm(forms.Form):
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES)
    delimiter = forms.ChoiceField(choices=DELIMITER_CHOICES)
    has_header = forms.BooleanField(required=False, label="The first row holds column names")


class MappingPolicyForm(forms.Form):
    """One target per column, then the import policy."""

    default_country = forms.ChoiceField(
        choices=COUNTRY_CHOICES, help_text="Numbers without a country code are read as this."
    )
    duplicate_policy = forms.ChoiceField(choices=DuplicatePolicy.choices)
    duplicate_scope = forms.ChoiceField(choices=DuplicateScope.choices)
    scope_campaign = forms.TypedChoiceField(
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
        label="Campaign (for the campaign scope)",
    )
    dnc_scrub = forms.BooleanField(required=False, initial=True, label="Scrub against the DNC list")
    template_name = forms.CharField(
        required=False, max_length=120, label="Save this mapping as a template named"
    )

    def __init__(self, *args, header: list[str], campaigns: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        self.fields["scope_campaign"].choices = [("", "—"), *campaigns]
        for index, name in enumerate(header):
            self.fields[f"column_{index}"] = forms.ChoiceField(choices=TARGET_CHOICES, label=name)

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.header))]

    def policy_fields(self):
        return [self[name] for name in self.fields if not name.startswith("column_")]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"column_{index}"] for index in range(len(self.header))]


class LeadFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *LeadStatus.choices], required=False)
