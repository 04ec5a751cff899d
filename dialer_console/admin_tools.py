"""What the console's admin pages share: a read-only base for the tables the pages and
services change, and, for changelists over a big table, a paginator that never counts
millions of rows and prefix phone search that an index can serve."""

from __future__ import annotations

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator


class ReadOnlyAdmin(admin.ModelAdmin):
    """A table the console's pages and services change: the admin shows it, never adds
    to it or edits it."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AtLeast(int):
    """A count that stopped at its cap: "10000+" on the page, never a made-up total."""

    def __str__(self) -> str:
        return f"{int(self)}+"


class BoundedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``), so a
    changelist over millions of rows costs its page, not its table. Past the cap the count
    reads "10000+" and the pages stop there: a filter or a search narrows the rest."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.COUNT_CAP + 1].count()
        return AtLeast(self.COUNT_CAP) if counted > self.COUNT_CAP else counted


class BigTableAdmin(admin.ModelAdmin):
    """A changelist over a table that grows to millions of rows."""

    paginator = BoundedCountPaginator
    show_full_result_count = False


def phone_prefix(term: str) -> str:
    """A typed number as the E.164 prefix the phone columns store: "1 212-555" becomes
    "+1212555"; "" when the term is not a number."""
    digits = "".join(char for char in term if char.isdigit())
    if not digits or any(char.isalpha() for char in term):
        return ""
    return "+" + digits


class PhonePrefixSearchMixin:
    """Search a phone column by prefix (``LIKE '+1212555%'``), which the phone's
    ``varchar_pattern_ops`` index serves, instead of the admin's ``%…%`` scan."""

    phone_search_field = "phone"
    search_help_text = "A phone number or its first digits, e.g. +1212555."

    def get_search_fields(self, request):
        return [self.phone_search_field]  # shows the search box; the search is below

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        prefix = phone_prefix(term)
        if not prefix:
            return queryset.none(), False
        return queryset.filter(**{f"{self.phone_search_field}__startswith": prefix}), False
