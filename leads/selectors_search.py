"""Find any lead: one search text (a number in any format, a name or an e-mail) over every
lead list the user may see, on keyset pages in id order. Scoped by ``leads_visible``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import ID_RANGE
from leads.models import Lead
from leads.selectors import lead_lists_visible, leads_visible, phone_search_q

SEARCH_PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100
NAME_MIN_LENGTH = 2
PHONE_MIN_DIGITS = 3

# Text made only of what people write in phone numbers: digits, spaces, + ( ) . - /.
_PHONE_TEXT = re.compile(r"^[\d\s+().\-/]+$")

KIND_PHONE, KIND_EMAIL, KIND_NAME = "phone", "email", "name"
KIND_LABELS = {KIND_PHONE: "phone number", KIND_EMAIL: "e-mail", KIND_NAME: "name"}


@dataclass(frozen=True)
class LeadSearch:
    """What a search text was read as, and the condition it puts on leads."""

    text: str
    kind: str  # phone, email or name
    condition: Q
    countries: tuple[str, ...] = ()  # for a phone: the countries national numbers were read in


@dataclass(frozen=True)
class LeadSearchPage:
    search: LeadSearch
    leads: list[Lead]
    next_after: int | None  # continue with ids above this one
    prev_before: int | None  # the page before ends below this id


def _phone_search(text: str, user) -> LeadSearch:
    if len(re.sub(r"\D", "", text)) < PHONE_MIN_DIGITS:
        raise ApplicationError(
            _("Type at least %(phone_min_digits)s digits of a phone number.")
            % {"phone_min_digits": PHONE_MIN_DIGITS},
            {"field": "q"},
        )
    # A number without its country code is read as each visible list reads its rows (its
    # default country), so "030 1234567" finds a lead of a German list.
    countries = tuple(
        sorted(
            set(lead_lists_visible(user=user).values_list("default_country", flat=True)) or {"US"}
        )
    )
    condition = Q()
    for country in countries:
        condition |= phone_search_q(text=text, country=country)
    return LeadSearch(text, KIND_PHONE, condition, countries)


def _name_search(text: str) -> LeadSearch:
    """Every word starts the first or the last name, in any order: "smith ada" finds Ada
    Smith."""
    condition = Q()
    for word in text.split():
        condition &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
    return LeadSearch(text, KIND_NAME, condition)


def lead_search_read(*, text: str, user) -> LeadSearch:
    """How ``text`` is searched: with an @ an e-mail (its start, any case); made of digits
    and phone punctuation a number (``phone_search_q``); otherwise a name. Refuses, with
    a message, what cannot be searched."""
    text = " ".join(text.split())
    if not text:
        raise ApplicationError(
            _("Type a phone number, a name or an e-mail to search for."), {"field": "q"}
        )
    if len(text) > SEARCH_MAX_LENGTH:
        raise ApplicationError(
            _("The search text is longer than %(search_max_length)s characters.")
            % {"search_max_length": SEARCH_MAX_LENGTH},
            {"field": "q"},
        )
    if "\x00" in text:
        raise ApplicationError(_("The search text holds a NUL character."), {"field": "q"})
    if "@" in text:
        return LeadSearch(text, KIND_EMAIL, Q(email__istartswith=text))
    if _PHONE_TEXT.match(text):
        return _phone_search(text, user)
    if len(text) < NAME_MIN_LENGTH:
        raise ApplicationError(
            _("Type at least %(name_min_length)s letters of a name.")
            % {"name_min_length": NAME_MIN_LENGTH},
            {"field": "q"},
        )
    return _name_search(text)


def lead_search_queryset(*, search: LeadSearch, user) -> QuerySet[Lead]:
    """The leads ``user`` may see that match, with their list, in id order."""
    return (
        leads_visible(user=user).filter(search.condition).select_related("lead_list").order_by("id")
    )


def lead_search_cursor(raw: str, name: str) -> int:
    """A page's ``after`` or ``before`` lead id from a query string (0 when absent)."""
    if not raw:
        return 0
    if not raw.isdecimal() or int(raw) > ID_RANGE[1]:
        raise ApplicationError(
            _("“%(name)s” must be a lead id (a whole number).") % {"name": name}, {"field": name}
        )
    return int(raw)


def lead_search_page(
    *, text: str, user, after: int = 0, before: int = 0, size: int = SEARCH_PAGE_SIZE
) -> LeadSearchPage:
    """One page of matches by keyset both ways: ids above ``after``, or the ``size`` ids
    just below ``before``. Two queries (the visible lists' countries for a number, the
    leads with their lists); nothing counted, nothing offset."""
    search = lead_search_read(text=text, user=user)
    leads = lead_search_queryset(search=search, user=user)
    if before:
        found = list(leads.filter(id__lt=before).order_by("-id")[: size + 1])
    else:
        found = list(leads.filter(id__gt=after)[: size + 1])
    more = len(found) > size
    found = found[:size]
    if before:
        found.reverse()
    first, last = (found[0].pk, found[-1].pk) if found else (None, None)
    if before:
        next_after, prev_before = last, (first if more else None)
    else:
        next_after, prev_before = (last if more else None), (first if after else None)
    return LeadSearchPage(search, found, next_after, prev_before)
