"""The vendor account form: name, vendor, base URL, and the credential fields the chosen
vendor's adapter declares. A saved secret is never rendered back: on edit each secret is
an empty "replace" input, and blank keeps the saved value."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.adapters.base import BaseAdapter
from vendors.adapters.http.egress import base_url_refusal
from vendors.models import VendorAccount
from vendors.selectors import vendor_installed_kinds

CREDENTIAL_PREFIX = "cred_"


class VendorAccountForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(label=_("Vendor"))
    base_url = forms.URLField(
        label=_("Base URL"), max_length=300, required=False, assume_scheme="https"
    )

    def __init__(
        self,
        *args,
        adapter: type[BaseAdapter] | None,
        account: VendorAccount | None = None,
        saved_secrets: set[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.adapter = adapter
        self.account = account
        self.fields["kind"].choices = [("", "Choose a vendor"), *vendor_installed_kinds()]
        if account is not None:
            self.fields["kind"].disabled = True
        if adapter is None:
            return
        self.fields["base_url"].help_text = gettext(
            "Leave blank for %(vendor)s's documented host, %(url)s."
        ) % {
            "vendor": adapter.label,
            "url": adapter.default_base_url,
        }
        for field in adapter.credential_fields:
            self.fields[CREDENTIAL_PREFIX + field.name] = self._credential_field(
                field, saved=field.name in saved_secrets
            )

    def clean_base_url(self) -> str:
        base_url = self.cleaned_data["base_url"]
        problem = base_url_refusal(base_url) if base_url else ""
        if problem:
            raise forms.ValidationError(problem)
        return base_url

    def _credential_field(self, field, *, saved: bool) -> forms.Field:
        editing = self.account is not None
        help_text = field.help_text
        if field.choices:
            return forms.ChoiceField(
                label=field.label,
                choices=field.choices,
                required=field.required,
                help_text=help_text,
            )
        if not field.secret:
            return forms.CharField(
                label=field.label, required=field.required, help_text=help_text, max_length=300
            )
        label = field.label
        if editing and saved:
            label = gettext("Replace %(label)s") % {"label": field.label}
            help_text = gettext("A value is saved and not shown. Leave blank to keep it.")
        return forms.CharField(
            label=label,
            # On edit a saved secret may stay blank; the service checks the merged set.
            required=field.required and not (editing and saved),
            help_text=help_text,
            max_length=2000,
            strip=True,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        )

    def credentials(self) -> dict[str, str]:
        return {
            name.removeprefix(CREDENTIAL_PREFIX): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith(CREDENTIAL_PREFIX)
        }

    def credential_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(CREDENTIAL_PREFIX)]


class CallLogFilterForm(forms.Form):
    operation = forms.ChoiceField(required=False)
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", _("All")), ("ok", _("Succeeded")), ("failed", _("Failed"))],
        label=_("Status"),
    )

    def __init__(self, *args, operations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].choices = [("", "All"), *operations]
