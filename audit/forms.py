from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.context import Door
from audit.selectors import AuditFilters, audited_content_types


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label=_("Anyone"),
        label=_("Who"),
    )
    object_type = forms.TypedChoiceField(required=False, coerce=int, label=_("Object type"))
    object_id = forms.CharField(required=False, max_length=40, label=_("Object id"))
    door = forms.ChoiceField(required=False, choices=[("", _("Any door")), *Door.choices])
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = [
            (ct.pk, str(ct).split("|")[-1].strip().capitalize()) for ct in audited_content_types()
        ]
        self.fields["object_type"].choices = [("", gettext("Any object")), *types]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters (none when the form is not valid: its errors are shown)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor_id=data["actor"].pk if data["actor"] else None,
            content_type_id=data["object_type"] or None,
            object_pk=data["object_id"].strip(),
            door=data["door"],
            since=data["since"],
            until=data["until"],
        )
