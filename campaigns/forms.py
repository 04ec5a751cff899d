"""HTML forms of the campaigns app, and ``CampaignEditor``: the campaign form and the
vendor's settings form, validated and rendered together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.checks import (
    CHECKED_FIELDS,
    FIELD_BOUNDS,
    bound_widget_attrs,
    campaign_field_errors,
)
from campaigns.derived_fields import DerivedShown, DerivedValues, derived_values
from campaigns.models import (
    Agent,
    CallingWindow,
    Campaign,
    DispositionCode,
    DispositionList,
    PauseCodeList,
    TimezonePolicy,
    Weekday,
)
from campaigns.services import LeadListLink
from campaigns.vendor_settings import vendor_form
from dialer_console.int_bounds import BoundedIntegersForm
from leads.models import LeadList
from results.recycling.forms import RecycleRulesMixin
from vendors.adapters.field_map import CAMPAIGN_FIELD_LABELS
from vendors.adapters.forms_common import RowsField, SwitchField, VendorSettingsForm
from vendors.models import VendorAccount

# --- campaign ----------------------------------------------------------------------------


class LeadListRow(forms.Form):
    lead_list = forms.ModelChoiceField(label=_("Lead list"), queryset=LeadList.objects.all())
    # A list attached here is dialled unless switched off (#12: it was off by default).
    active = SwitchField(label=_("Active"), initial=True)


def lead_list_rows(campaign: Campaign | None) -> list[dict]:
    if campaign is None or campaign.pk is None:
        return []
    return [
        {"lead_list": link.lead_list_id, "active": link.active}
        for link in campaign.list_links.all()
    ]


class CampaignForm(RecycleRulesMixin, BoundedIntegersForm, forms.ModelForm):
    recycle_owner = "campaign"

    lead_lists = RowsField(
        label=_("Lead lists"),
        row_form=LeadListRow,
        required=False,
        help_text=_("Dialled in this order; only active lists are dialled."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "team",
            "vendor_account",
            "dial_method",
            "caller_id",
            "agents",
            "disposition_list",
            "pause_code_list",
            "calling_window",
            "retry_count",
            "retry_interval_minutes",
            "wrap_up_seconds",
            "ring_timeout_seconds",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "agents": forms.CheckboxSelectMultiple,
        }
        # One set of labels for the campaign's fields (the field map names them alike).
        labels = {
            **CAMPAIGN_FIELD_LABELS,
            "team": _("Team"),
            "vendor_account": _("Vendor account"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = Agent.objects.filter(active=True)
        if self.instance.pk:
            self.initial.setdefault("lead_lists", lead_list_rows(self.instance))
        self.fields["vendor_account"].empty_label = gettext("No vendor yet (draft)")
        for name in FIELD_BOUNDS:
            bound_widget_attrs(self.fields[name], name)
        self.add_recycle_rules()

    def clean(self):
        cleaned = super().clean()
        account = cleaned.get("vendor_account")
        for name, message in campaign_field_errors(
            values={name: cleaned[name] for name in CHECKED_FIELDS if name in cleaned},
            vendor_kind=account.kind if account else "",
        ).items():
            self.add_error(name, message)
        return cleaned

    def campaign_fields(self) -> dict[str, Any]:
        from campaigns.services import CAMPAIGN_FIELDS

        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}

    def lead_list_links(self) -> list[LeadListLink]:
        return [
            LeadListLink(row["lead_list"], bool(row["active"]))
            for row in self.cleaned_data["lead_lists"]
        ]


@dataclass
class FieldSlot:
    """One field as the page shows it: its mandatory mark, and what HTMX does on change."""

    bound: forms.BoundField
    mandatory: bool
    controlled_by: str = ""  # the controlling field's HTML name
    applies_when: str = ""  # the controller's values (space-separated) that show it
    applies: bool = True
    refreshes_fieldset: bool = False  # the vendor account: swap in another vendor's fieldset
    wide: bool = False
    derived: DerivedShown | None = None  # the field map's: shows the campaign's value


@dataclass(frozen=True)
class SummaryItem:
    html_name: str
    label: str
    message: str


def _slots(
    form: forms.Form, *, show_errors: bool, derived: dict[str, DerivedShown] | None = None
) -> list[FieldSlot]:
    slots = []
    is_vendor = isinstance(form, VendorSettingsForm)
    for name, field in form.fields.items():
        condition = form.condition_for(name) if is_vendor else None
        slots.append(
            FieldSlot(
                bound=form[name],
                mandatory=field.required or getattr(field, "mandatory", False),
                controlled_by=form[condition.controller].html_name if condition else "",
                applies_when=" ".join(condition.values) if condition else "",
                applies=form.applies(name) if is_vendor else True,
                # A vendor field's condition is shown and hidden in the browser
                # (console.js), so no controller replaces the fieldset the user is in.
                refreshes_fieldset=not is_vendor and name == "vendor_account",
                wide=isinstance(field, RowsField | forms.ModelMultipleChoiceField)
                or isinstance(field.widget, forms.Textarea),
                derived=(derived or {}).get(name),
            )
        )
    if not show_errors:
        for slot in slots:
            slot.bound.form._errors = forms.utils.ErrorDict()
    return slots


class CampaignEditor:
    """The create/edit page's two forms: the campaign's own fields, and the settings form
    of the chosen vendor account's kind (absent while no account is chosen)."""

    def __init__(self, *, campaign: Campaign | None = None, data: QueryDict | None = None):
        self.campaign = campaign
        self.data = data
        self.campaign_form = CampaignForm(data=data, instance=campaign)
        self.account = self._chosen_account()
        self.vendor_form: VendorSettingsForm | None = None
        self.derived: DerivedValues | None = None
        if self.account is not None:
            self.derived = derived_values(campaign_form=self.campaign_form, account=self.account)
            same_account = campaign is not None and campaign.vendor_account_id == self.account.pk
            stored = campaign.vendor_settings if same_account else None
            self.vendor_form = self.new_vendor_form(data=data, stored=stored)

    @property
    def derived_oob(self) -> str:
        """The vendor fields a campaign change redraws: the derived ones, and the fields
        a derived field controls (Acefone's dial method shows its own fields)."""
        form = self.vendor_form
        if form is None or self.derived is None:
            return ""
        derived = form.derived_names()
        names = [
            name
            for name in form.fields
            if name in derived
            or (form.condition_for(name) and form.condition_for(name).controller in derived)
        ]
        return ",".join(f"#field-{form[name].html_name}" for name in names)

    def new_vendor_form(self, *, data=None, stored=None) -> VendorSettingsForm:
        return vendor_form(
            account=self.account,
            data=data,
            stored=stored,
            html=True,
            derived=self.derived.vendor_values if self.derived else None,
        )

    def _chosen_account(self) -> VendorAccount | None:
        if self.data is None:
            return self.campaign.vendor_account if self.campaign else None
        raw = self.data.get("vendor_account")
        if not raw or not str(raw).isdigit():
            return None
        return VendorAccount.objects.filter(pk=raw).first()

    def is_valid(self) -> bool:
        valid = self.campaign_form.is_valid()
        if self.vendor_form is not None:
            valid = self.vendor_form.is_valid() and valid
        return valid

    def vendor_settings(self) -> dict[str, Any]:
        return self.vendor_form.settings() if self.vendor_form is not None else {}

    def forms(self) -> list[forms.Form]:
        return [form for form in (self.campaign_form, self.vendor_form) if form is not None]

    def bound_field(self, html_name: str) -> tuple[forms.Form, str] | None:
        for form in self.forms():
            for name in form.fields:
                if form[name].html_name == html_name:
                    return form, name
        return None

    def campaign_slots(self, *, show_errors: bool = True) -> list[FieldSlot]:
        return _slots(self.campaign_form, show_errors=show_errors)

    def vendor_slots(self, *, show_errors: bool = True) -> list[FieldSlot]:
        if self.vendor_form is None:
            return []
        shown = self.derived.shown if self.derived else None
        return _slots(self.vendor_form, show_errors=show_errors, derived=shown)

    def error_summary(self) -> list[SummaryItem]:
        """Each field error of both forms, in the page's order, for the summary at the
        top of a form that failed to save (each links to its field)."""
        items = []
        for form in self.forms():
            vendor = form.vendor_label if isinstance(form, VendorSettingsForm) else ""
            for name, field in form.fields.items():
                for message in form.errors.get(name, []):
                    label = f"{vendor} {field.label}" if vendor else str(field.label)
                    items.append(SummaryItem(form[name].html_name, label, message))
        return items

    def slot(self, html_name: str) -> FieldSlot | None:
        found = self.bound_field(html_name)
        if found is None:
            return None
        form, name = found
        shown = self.derived.shown if self.derived and form is self.vendor_form else None
        slots = _slots(form, show_errors=True, derived=shown)
        return next(slot for slot in slots if slot.bound.name == name)


# --- agents -----------------------------------------------------------------------------


REMOTE_ID_HELP = {
    "acefone": _("Acefone agent id (a number)."),
    "voicenter": _("Voicenter Member code."),
    "webitel": _("Webitel agent name."),
    "jtel": _("jtel user id."),
    "ozonetel": _("Ozonetel agent id."),
}


class RemoteIdFieldsMixin:
    """One "Id on <account>" field per vendor account whose vendor keeps this kind of
    object (``remote_id_help``: vendor kind -> the field's help)."""

    remote_id_help: dict[str, str] = {}

    def add_remote_id_fields(self) -> None:
        accounts = VendorAccount.objects.order_by("name")
        self.accounts = [account for account in accounts if account.kind in self.remote_id_help]
        current = {}
        if self.instance.pk:
            current = dict(self.instance.remote_ids.values_list("vendor_account_id", "remote_id"))
        for account in self.accounts:
            self.fields[f"remote_id_{account.pk}"] = forms.CharField(
                label=gettext("Id on %(account)s") % {"account": account},
                required=False,
                max_length=120,
                initial=current.get(account.pk, ""),
                help_text=self.remote_id_help[account.kind],
            )

    def remote_ids(self) -> dict[VendorAccount, str]:
        return {
            account: self.cleaned_data[f"remote_id_{account.pk}"].strip()
            for account in self.accounts
        }


class AgentForm(RemoteIdFieldsMixin, forms.ModelForm):
    """The agent, plus one "id on <account>" field per vendor account."""

    class Meta:
        model = Agent
        fields = ["name", "email", "extension", "mobile", "team", "active"]

    remote_id_help = REMOTE_ID_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_remote_id_fields()


# --- code lists ---------------------------------------------------------------------------


class DispositionCodeRow(BoundedIntegersForm, forms.Form):
    bounds_model = DispositionCode

    code = forms.CharField(label=_("Short code"), max_length=20)
    label = forms.CharField(label=_("Label"), max_length=120)
    is_final = SwitchField(label=_("Final"))
    is_success = SwitchField(label=_("Success"))
    is_callback = SwitchField(label=_("Callback"))
    is_do_not_call = SwitchField(label=_("Do not call"))
    retry_after_minutes = forms.IntegerField(
        label=_("Retry after (min)"), required=False, min_value=0
    )

    def clean(self):
        cleaned = super().clean()
        for flag in ("is_final", "is_success", "is_callback", "is_do_not_call"):
            cleaned[flag] = bool(cleaned.get(flag))
        if cleaned.get("is_final") and cleaned.get("retry_after_minutes") is not None:
            self.add_error(
                "retry_after_minutes", gettext("A final code is not retried: leave this empty.")
            )
        return cleaned


class DispositionListForm(RecycleRulesMixin, RemoteIdFieldsMixin, forms.ModelForm):
    recycle_owner = "disposition_list"

    codes = RowsField(label=_("Codes"), row_form=DispositionCodeRow, required=True)
    remote_id_help = {"acefone": _("The Acefone disposition list's id (disposition_list).")}

    class Meta:
        model = DispositionList
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "codes",
                list(
                    self.instance.codes.values(
                        "code",
                        "label",
                        "is_final",
                        "is_success",
                        "is_callback",
                        "is_do_not_call",
                        "retry_after_minutes",
                    )
                ),
            )
        self.add_remote_id_fields()
        self.add_recycle_rules()


class PauseCodeRow(forms.Form):
    code = forms.CharField(label=_("Short code"), max_length=20)
    label = forms.CharField(label=_("Label"), max_length=120)


class PauseCodeListForm(RemoteIdFieldsMixin, forms.ModelForm):
    codes = RowsField(label=_("Pause codes"), row_form=PauseCodeRow, required=True)
    remote_id_help = {"acefone": _("The Acefone break list's id (break_list).")}

    class Meta:
        model = PauseCodeList
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("codes", list(self.instance.codes.values("code", "label")))
        self.add_remote_id_fields()


# --- calling windows -------------------------------------------------------------------


class WindowDayRow(forms.Form):
    # A blank row asks for its weekday rather than offering Monday a second time.
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", _("Choose a weekday")), *Weekday.choices],
        coerce=int,
        error_messages={"required": _("Choose the weekday.")},
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", gettext("The end must be after the start."))
        return cleaned


class HolidayRow(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label=_("Label"), required=False, max_length=120)


def default_window_days() -> list[dict]:
    from campaigns.models import DEFAULT_WINDOW_END, DEFAULT_WINDOW_START

    return [
        {"weekday": day.value, "start": DEFAULT_WINDOW_START, "end": DEFAULT_WINDOW_END}
        for day in Weekday
    ]


class CallingWindowForm(RemoteIdFieldsMixin, forms.ModelForm):
    remote_id_help = {
        "acefone": _("The Acefone campaign active time's id (time_group)."),
        "webitel": _("The Webitel calendar's id (24 hexadecimal characters)."),
    }
    days = RowsField(
        label=_("Hours per weekday"),
        row_form=WindowDayRow,
        required=False,
        help_text=_("A weekday without a row is not dialled."),
    )
    holidays = RowsField(label=_("Holidays (not dialled)"), row_form=HolidayRow, required=False)

    class Meta:
        model = CallingWindow
        fields = [
            "name",
            "timezone_policy",
            "fixed_timezone",
            "skip_public_holidays",
            "skip_local_weekend",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown only with the fixed policy (static/js/console.js); without JavaScript it shows.
        self.fields["fixed_timezone"].shown_when = "timezone_policy=fixed"
        if self.instance.pk:
            self.initial.setdefault(
                "days", list(self.instance.days.values("weekday", "start", "end"))
            )
            self.initial.setdefault(
                "holidays", list(self.instance.holidays.values("date", "label"))
            )
        else:
            self.initial.setdefault("timezone_policy", TimezonePolicy.LEAD_LOCAL)
            self.initial.setdefault("days", default_window_days())
        self.add_remote_id_fields()

    def rule(self):
        """The window as the form now holds it (``WindowRule``), or None while the form
        has errors: what the editor's preview shows."""
        from campaigns.windows import WindowRule

        if self.is_bound and not self.is_valid():
            return None
        data = self.cleaned_data if self.is_bound else self._initial_values()
        weekdays = [row["weekday"] for row in data["days"]]
        if len(weekdays) != len(set(weekdays)):
            return None
        return WindowRule.build(
            days=[(row["weekday"], row["start"], row["end"]) for row in data["days"]],
            holidays=[row["date"] for row in data["holidays"]],
            **{name: data[name] for name in self.Meta.fields if name != "name"},
        )

    def _initial_values(self) -> dict:
        values = {
            name: self.get_initial_for_field(field, name) for name, field in self.fields.items()
        }
        values["days"] = values["days"] or []
        values["holidays"] = values["holidays"] or []
        return values


# --- a lead's disposition ----------------------------------------------------------------


class LeadDispositionForm(forms.Form):
    """One outcome for one lead. The code must be one of the campaign's disposition list;
    the flags' rules (callback time, a final outcome already recorded) are the service's,
    so the page and the API give the same words."""

    # Offered as a select, checked by the service (the API's words exactly).
    code = forms.CharField(
        label=_("Outcome"),
        max_length=20,
        widget=forms.Select,
        error_messages={"required": _("Choose an outcome.")},
    )
    callback_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("For a callback code; empty: the code's retry-after from now."),
        error_messages={"invalid": _("Enter a date and time, for example 2026-05-01 14:30.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        codes = campaign.disposition_list.codes.all() if campaign.disposition_list_id else []
        self.fields["code"].widget.choices = [("", gettext("Choose an outcome"))] + [
            (code.code, f"{code.code} – {code.label}") for code in codes
        ]
