"""The results page's filters, shared by the page, its downloads and the API."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialer_console.errors import ApplicationError
from results.selectors import ResultsFilter

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class ResultsFilterForm(forms.Form):
    since = forms.DateField(
        required=False,
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day of the last attempt, from (YYYY-MM-DD)."),
    )
    until = forms.DateField(
        required=False,
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Up to and including this day."),
    )
    lead_list = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Lead list")
    )

    def __init__(self, data=None, *, lead_lists: list):
        super().__init__(data)
        self.fields["lead_list"].choices = [("", gettext("All lists"))] + [
            (str(item.pk), item.name) for item in lead_lists
        ]

    def _clean_day(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(gettext("Choose a day between the years 2000 and 2100."))
        return value

    def clean_since(self):
        return self._clean_day("since")

    def clean_until(self):
        return self._clean_day("until")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(gettext("“From” must be on or before “To”."))
        return data

    def results_filter(self) -> ResultsFilter:
        data = self.cleaned_data
        return ResultsFilter(data.get("since"), data.get("until"), data.get("lead_list"))


def results_filter_or_error(data, *, lead_lists: list) -> ResultsFilter:
    """The filter from query parameters, or an ApplicationError naming what is wrong."""
    form = ResultsFilterForm(data, lead_lists=lead_lists)
    if form.is_valid():
        return form.results_filter()
    messages = [
        f"{form.fields[name].label if name in form.fields else 'Filters'}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]
    raise ApplicationError(" ".join(messages), {"fields": sorted(form.errors)})
