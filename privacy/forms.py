from __future__ import annotations

from django import forms

from leads.countries import country_choices


class PersonSearchForm(forms.Form):
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=64,
        help_text="As written anywhere; a national number is read with the country below.",
    )
    country = forms.ChoiceField(label="Country of a national number", required=False)
    email = forms.CharField(label="E-mail address", required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        none = ("", "None (the number starts with +)")
        self.fields["country"].choices = [none, *country_choices()]


class PersonEraseForm(PersonSearchForm):
    dnc = forms.BooleanField(
        label="Keep the number on the do-not-call list (as a keyed hash only)",
        required=False,
        initial=True,
        help_text="It still blocks a re-import; the number itself is not kept. A number "
        "already on the list stays blocked this way in any case.",
    )
    confirm = forms.BooleanField(
        label="I have checked that these records are the person's; erase them",
        help_text="This cannot be undone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "country", "email"):
            self.fields[name].widget = forms.HiddenInput()
