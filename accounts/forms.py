from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.roles import Role
from accounts.selectors import USER_STATUSES

_TEAM_HELP = _("Team leads and API consumers see only their team's lead lists.")


class _UserFieldsForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label=_("No team"), help_text=_TEAM_HELP
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    first_name = forms.CharField(required=False, max_length=150)
    last_name = forms.CharField(required=False, max_length=150)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: language_choices(),
        required=False,
        help_text=_("Empty: the browser's language."),
    )


def language_choices() -> list[tuple[str, str]]:
    """The shipped languages, each in its own name, after "the browser's language"."""
    return [("", _("The browser's language")), *settings.LANGUAGES]


class LanguageForm(forms.Form):
    """A user's own language (the Language page of the user menu)."""

    language = forms.ChoiceField(
        label=_("Language"), choices=lambda: language_choices(), required=False
    )


class UserCreateForm(_UserFieldsForm):
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[User.username_validator]
    )
    password = forms.CharField(
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to e-mail an invitation: a one-time link to choose a password."),
    )
    field_order = [
        "username",
        "role",
        "team",
        "email",
        "first_name",
        "last_name",
        "language",
        "password",
    ]


class UserChangeForm(_UserFieldsForm):
    pass


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(choices=[("", _("Any role")), *Role.choices], required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label=_("Any team")
    )
    status = forms.ChoiceField(choices=[("", _("Any status")), *USER_STATUSES], required=False)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
