"""The recycling rules as repeatable rows of the disposition list and campaign forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialer_console.errors import ApplicationError
from results.models import RecycleAction, RecycleMatch
from results.recycling.rules import (
    DIALER_OUTCOMES,
    MAX_DELAY_MINUTES,
    MAX_TIMES,
    list_codes,
    rule_rows,
    rules_clean,
    rules_replace,
)
from vendors.adapters.forms_common import RowsField


def rules_help() -> str:
    """The rules' help, in the language of the request (the outcome labels included)."""
    return gettext(
        "When a lead with this outcome is dialled again, and at most how often. Dialer "
        "results: %(results)s. The campaign's own retry count and interval go to the dialer "
        "and apply to every unanswered call; these rules are carried out by the console."
    ) % {
        "results": ", ".join(f"{value} ({str(label).lower()})" for value, label in DIALER_OUTCOMES)
    }


class RecycleRuleRow(forms.Form):
    # Initial values as posted (strings): a blank row left at its defaults is empty.
    match_kind = forms.ChoiceField(
        label=_("Matches"), choices=RecycleMatch.choices, initial=RecycleMatch.DIALER.value
    )
    match_code = forms.CharField(label=_("Result or code"), max_length=20)
    action = forms.ChoiceField(
        label=_("Then"), choices=RecycleAction.choices, initial=RecycleAction.DELAY.value
    )
    delay_minutes = forms.IntegerField(
        label=_("Delay (min)"), required=False, min_value=1, max_value=MAX_DELAY_MINUTES
    )
    max_times = forms.IntegerField(
        label=_("At most (times)"), min_value=1, max_value=MAX_TIMES, initial="3"
    )


class RecycleRulesMixin:
    """Adds the ``recycle_rules`` rows to a disposition list's or a campaign's form."""

    recycle_owner = ""  # "disposition_list" or "campaign"

    def add_recycle_rules(self) -> None:
        self.fields["recycle_rules"] = RowsField(
            label=_("Recycling rules"), row_form=RecycleRuleRow, required=False,
            help_text=rules_help(),
        )  # fmt: skip
        if self.instance.pk:
            self.initial.setdefault(
                "recycle_rules", rule_rows(**{self.recycle_owner: self.instance})
            )

    def _rule_codes(self) -> set[str]:
        if self.recycle_owner == "disposition_list":
            return {row["code"] for row in self.cleaned_data.get("codes") or []}
        return list_codes(self.cleaned_data.get("disposition_list"))

    def clean_recycle_rules(self) -> list[dict]:
        rows = self.cleaned_data.get("recycle_rules") or []
        try:
            return rules_clean(rows, codes=self._rule_codes())
        except ApplicationError as error:
            raise forms.ValidationError(error.extra.get("errors") or [error.message]) from None

    def save_recycle_rules(self, owner) -> None:
        rules_replace(rows=self.cleaned_data["recycle_rules"], **{self.recycle_owner: owner})


class RecycleByHandForm(forms.Form):
    """Recycling by hand: the outcomes to pick and the campaign to send the leads to."""

    dialer_outcomes = forms.MultipleChoiceField(
        label=_("Dialer results"), choices=DIALER_OUTCOMES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    disposition_codes = forms.MultipleChoiceField(
        label=_("Disposition codes"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The lead's latest recorded outcome, or the dialer's result mapped to it."),
    )  # fmt: skip
    target_campaign = forms.ModelChoiceField(
        label=_("Send them to"),
        queryset=None,
        required=False,
        empty_label=_("This campaign again"),
    )

    def __init__(self, *args, source, targets, **kwargs):
        super().__init__(*args, **kwargs)
        codes = source.disposition_list.codes.all() if source.disposition_list_id else []
        self.fields["disposition_codes"].choices = [
            (code.code, f"{code.code} – {code.label}") for code in codes
        ]
        self.fields["target_campaign"].queryset = targets.exclude(pk=source.pk).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("dialer_outcomes") and not cleaned.get("disposition_codes"):
            raise forms.ValidationError(gettext("Choose at least one outcome."))
        return cleaned
