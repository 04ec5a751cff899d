"""The recycling rules as repeatable rows of the disposition list and campaign forms."""

from __future__ import annotations

from django import forms

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

RULES_HELP = (
    "When a lead with this outcome is dialled again, and at most how often. Dialer "
    "results: "
    + ", ".join(f"{value} ({label.lower()})" for value, label in DIALER_OUTCOMES)
    + ". The campaign's own retry count and interval go to the dialer and apply to "
    "every unanswered call; these rules are carried out by the console."
)


class RecycleRuleRow(forms.Form):
    match_kind = forms.ChoiceField(label="Matches", choices=RecycleMatch.choices)
    match_code = forms.CharField(label="Result or code", max_length=20)
    action = forms.ChoiceField(label="Then", choices=RecycleAction.choices)
    delay_minutes = forms.IntegerField(
        label="Delay (min)", required=False, min_value=1, max_value=MAX_DELAY_MINUTES
    )
    max_times = forms.IntegerField(
        label="At most (times)", min_value=1, max_value=MAX_TIMES, initial=3
    )


class RecycleRulesMixin:
    """Adds the ``recycle_rules`` rows to a disposition list's or a campaign's form."""

    recycle_owner = ""  # "disposition_list" or "campaign"

    def add_recycle_rules(self) -> None:
        self.fields["recycle_rules"] = RowsField(
            label="Recycling rules", row_form=RecycleRuleRow, required=False,
            help_text=RULES_HELP,
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
