"""Whom an erasure is about: the search read as imports read numbers, the person's
leads, and what to look for in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from accounts.access import team_scope
from dialer_console.errors import ApplicationError
from leads.models import (
    Lead,
)
from leads.phones import phone_normalise

MIN_NATIONAL_DIGITS = 7  # shorter national forms would match other numbers' digits


@dataclass(frozen=True)
class Person:
    """Whom to find: a number in E.164 and/or an e-mail address (lower case)."""

    phone: str = ""
    email: str = ""

    @property
    def searched_by(self) -> list[str]:
        return [name for name in ("phone", "email") if getattr(self, name)]


def person_read(*, phone: str = "", country: str = "", email: str = "") -> Person:
    """Read the search as the imports read numbers (phonenumbers, the list's country for
    a national number); a clear message for anything else."""
    phone, email, country = phone.strip(), email.strip(), (country or "").strip().upper()
    if not phone and not email:
        raise ApplicationError(
            gettext("Give a phone number or an e-mail address."), {"field": "phone"}
        )
    e164 = ""
    if phone:
        normalised = phone_normalise(phone, country) if len(phone) <= 64 else None
        if normalised is None:
            if country:
                message = gettext(
                    "“%(phone)s” is not a valid phone number when read as %(country)s."
                ) % {"phone": phone[:64], "country": country}
            else:
                message = gettext(
                    "“%(phone)s” is not a valid phone number (give a country, or +)."
                ) % {"phone": phone[:64]}
            raise ApplicationError(message, {"field": "phone"})
        e164 = normalised.e164
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                gettext("“%(email)s” is not an e-mail address.") % {"email": email[:254]},
                {"field": "email"},
            ) from None
    return Person(phone=e164, email=email.lower())


def check_may_erase(user) -> None:
    if not user.has_perm("privacy.add_personerasure"):
        raise ApplicationError(gettext("Only supervisors erase a person."), {"code": "forbidden"})


def person_leads(person: Person, *, user) -> QuerySet[Lead]:
    """Every lead of the person in the lists ``user`` may see (``team_scope``): by number
    (main or alternate) or address. Erasure is a supervisor's
    (``privacy.add_personerasure``), who sees every team: so every list."""
    match = Q(pk__in=[])
    if person.phone:
        match |= Q(phone=person.phone) | Q(alternate_phones__contains=[{"phone": person.phone}])
    if person.email:
        match |= Q(email__iexact=person.email)
    leads = team_scope(Lead.objects.filter(match), user, "lead_list__team")
    return leads.select_related("lead_list__team").order_by("id")


def person_numbers(person: Person, leads: Iterable[Lead]) -> list[str]:
    """The person's numbers: the one searched and each of their leads' numbers."""
    numbers = {person.phone} if person.phone else set()
    for lead in leads:
        if lead.phone:
            numbers.add(lead.phone)
        numbers.update(
            entry["phone"]
            for entry in lead.alternate_phones or []
            if isinstance(entry, dict) and entry.get("phone")
        )
    return sorted(numbers)


def needles_for(*, numbers: Iterable[str], emails: Iterable[str]) -> list[str]:
    """What to look for in free text: each number as E.164, as its digits, and as its
    national digits (the form a file or a vendor body may use), and each address."""
    found = set()
    for number in numbers:
        found.update({number, number.lstrip("+")})
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            continue
        national = re.sub(r"\D", "", phonenumbers.format_number(parsed, 2))
        if len(national) >= MIN_NATIONAL_DIGITS:
            found.add(national)
    found.update(email.lower() for email in emails if email)
    return sorted(found, key=len, reverse=True)


def person_emails(person: Person, leads: Iterable[Lead]) -> list[str]:
    return sorted({person.email, *(lead.email.lower() for lead in leads)} - {""})
