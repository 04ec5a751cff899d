from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from leads.countries import country_choices
from leads.importing.mapping import TARGET_CHOICES
from leads.importing.sniff import DELIMITER_CHOICES, ENCODING_CHOICES
from leads.models import DncScope, DuplicatePolicy, DuplicateScope, LeadList, LeadStatus
from leads.selectors import DNC_STATE_CHOICES

COUNTRY_CHOICES = country_choices()


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
            raise forms.ValidationError(
                gettext("%(value)s is not a time zone name like Europe/Berlin.")
                % {"value": repr(value)}
            )
        return value


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text=_("CSV, TSV or semicolon-separated text in any common encoding, or .xlsx.")
    )


class FileSettingsForm(forms.Form):
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES)
    delimiter = forms.ChoiceField(choices=DELIMITER_CHOICES)
    has_header = forms.BooleanField(required=False, label=_("The first row holds column names"))


def duplicate_scope_choices(*, user, has_campaigns: bool) -> list[tuple[str, str]]:
    """The scopes ``user`` may pick: a campaign's lists only when they see a campaign, and
    "everywhere" named for what it is to them (their team's lists unless a supervisor)."""
    labels = dict(DuplicateScope.choices)
    if not user.is_supervisor:
        labels[DuplicateScope.EVERYWHERE] = gettext("Every list of my team")
    if not has_campaigns:
        del labels[DuplicateScope.CAMPAIGN]
    return list(labels.items())


class MappingPolicyForm(forms.Form):
    """One target per column, then the import policy."""

    default_country = forms.ChoiceField(
        choices=COUNTRY_CHOICES, help_text=_("Numbers without a country code are read as this.")
    )
    duplicate_policy = forms.ChoiceField(choices=DuplicatePolicy.choices)
    duplicate_scope = forms.ChoiceField(choices=DuplicateScope.choices)
    scope_campaign = forms.TypedChoiceField(
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Campaign (for the campaign scope)"),
    )
    dnc_scrub = forms.BooleanField(
        required=False, initial=True, label=_("Scrub against the DNC list")
    )
    template_name = forms.CharField(
        required=False, max_length=120, label=_("Save this mapping as a template named")
    )

    def __init__(self, *args, header: list[str], campaigns: list[tuple[int, str]], user, **kwargs):
        """``campaigns``: the ones ``user`` may see; only those can be the duplicate scope."""
        super().__init__(*args, **kwargs)
        self.header = header
        self.fields["duplicate_scope"].choices = duplicate_scope_choices(
            user=user, has_campaigns=bool(campaigns)
        )
        if campaigns:
            self.fields["scope_campaign"].choices = [("", "—"), *campaigns]
        else:
            del self.fields["scope_campaign"]
        for index, name in enumerate(header):
            self.fields[f"column_{index}"] = forms.ChoiceField(choices=TARGET_CHOICES, label=name)

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.header))]

    def policy_fields(self):
        return [self[name] for name in self.fields if not name.startswith("column_")]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"column_{index}"] for index in range(len(self.header))]


class PhoneSearchField(forms.CharField):
    """A phone to search by, as ``selectors.phone_search_q`` reads it: any format, or the
    first digits."""

    def __init__(self, *, help_text: str):
        super().__init__(
            required=False,
            max_length=64,
            label=gettext("Phone"),
            help_text=help_text,
            widget=forms.TextInput(attrs={"type": "search", "inputmode": "tel"}),
        )


class LeadFilterForm(forms.Form):
    phone = PhoneSearchField(
        help_text=_("Any format (read with the list's country), or the first digits.")
    )
    status = forms.ChoiceField(choices=[("", _("Any status")), *LeadStatus.choices], required=False)


# --- the do-not-call list ------------------------------------------------------------


class DncFilterForm(forms.Form):
    phone = PhoneSearchField(help_text=_("Any format, or the first digits."))
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, initial="US", required=False)
    scope = forms.ChoiceField(choices=[("", _("Any scope")), *DncScope.choices], required=False)
    state = forms.ChoiceField(choices=DNC_STATE_CHOICES, required=False, label=_("Status"))


class DncAddForm(forms.Form):
    numbers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "inputmode": "tel"}),
        max_length=400_000,
        help_text=_("One number a line, or separated by commas; up to 10,000 at once."),
    )
    country = forms.ChoiceField(
        choices=COUNTRY_CHOICES,
        initial="US",
        help_text=_("Numbers without a country code are read as this."),
    )
    scope = forms.ChoiceField(choices=DncScope.choices, initial=DncScope.EVERYWHERE)
    campaign = forms.TypedChoiceField(
        choices=(), coerce=int, required=False, empty_value=None, label=_("Campaign (one campaign)")
    )
    lead_list = forms.ModelChoiceField(
        queryset=LeadList.objects.none(), required=False, label=_("Lead list (one lead list)")
    )
    reason = forms.CharField(max_length=200, required=False)
    expires_at = forms.DateTimeField(
        required=False,
        label=_("Expires"),
        help_text=_("Leave empty for a listing that never expires."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, user, campaigns, lead_lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "—"), *campaigns]
        self.fields["lead_list"].queryset = lead_lists
        if not user.is_supervisor:  # team leads list numbers on their team's lists only
            self.fields["scope"].choices = [(DncScope.LIST, DncScope.LIST.label)]
            self.fields["scope"].initial = DncScope.LIST
            del self.fields["campaign"]


class DncEntryForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
    expires_at = forms.DateTimeField(
        required=False,
        label=_("Expires"),
        help_text=_("Empty: never. A time in the past ends the listing now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DncFileForm(DncAddForm):
    """A file of numbers instead of pasted text; the same scope, reason and expiry."""

    numbers = None
    file = forms.FileField(
        help_text=_(
            "CSV (any common encoding, separated by commas, semicolons, tabs or pipes) "
            "or .xlsx; the column of numbers is found by its header or its content."
        )
    )
    encoding = forms.ChoiceField(
        choices=[("", _("Detect")), *ENCODING_CHOICES],
        required=False,
        help_text=_("Leave on Detect unless the report shows garbled letters."),
    )
    delimiter = forms.ChoiceField(choices=[("", _("Detect")), *DELIMITER_CHOICES], required=False)

    field_order = ["file", "country", "scope", "campaign", "lead_list", "reason", "expires_at"]
