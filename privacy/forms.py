from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leads.countries import country_choices


class PersonSearchForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=64,
        help_text=_("As written anywhere; a national number is read with the country below."),
    )
    country = forms.ChoiceField(label=_("Country of a national number"), required=False)
    email = forms.CharField(label=_("E-mail address"), required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        none = ("", _("None (the number starts with +)"))
        self.fields["country"].choices = [none, *country_choices()]


class PersonEraseForm(PersonSearchForm):
    dnc = forms.BooleanField(
        label=_("Keep the number on the do-not-call list (as a keyed hash only)"),
        required=False,
        initial=True,
        help_text=_(
            "It still blocks a re-import; the number itself is not kept. A number "
            "already on the list stays blocked this way in any case."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I have checked that these records are the person's; erase them"),
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "country", "email"):
            self.fields[name].widget = forms.HiddenInput()
