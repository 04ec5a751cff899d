"""Keyset pages with sortable columns: the one component every list page uses.

A page is the rows after (or just before) a cursor in the chosen order, read with
``LIMIT size + 1``: no OFFSET and no ``COUNT(*)``, so page 1,000 costs what page 1 does.
Each sortable column is one non-null field that an index serves together with the id,
which breaks ties; a list offers no other order. The cursor is the last row's value and id,
readable in the URL (``?sort=name&after=Acme~12``; id-only orders read ``after=12``).

The view builds a ``KeysetPage`` with ``keyset_page``; the template shows the headers with
``includes/sort_header.html`` and the links with ``includes/pager.html``. Filters in the
query string are kept by every header and pager link; a new sort starts at the first page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import ID_RANGE

PAGE_SIZE = 50
CURSOR_PARAMS = ("after", "before", "page")
SEPARATOR = "~"


@dataclass(frozen=True)
class Column:
    """A sortable column: ``key`` in the URL, the model ``field`` it orders by (non-null,
    served with the id by an index), and the direction its header starts with."""

    key: str
    label: str
    field: str
    descending_first: bool = False


@dataclass(frozen=True)
class Sorting:
    columns: tuple[Column, ...]
    default: str  # "key" or "-key"
    tiebreak: str = "id"

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def parse(self, raw: str) -> tuple[Column, bool]:
        """The column and whether it runs descending; an unknown sort is refused."""
        raw = (raw or self.default).strip()
        column = self.column(raw.removeprefix("-"))
        if column is None:
            names = ", ".join(c.key for c in self.columns)
            raise ApplicationError(
                gettext("“%(value)s” is not a sort of this list: use one of %(names)s.")
                % {"value": raw[:40], "names": names},
                {"field": "sort"},
            )
        return column, raw.startswith("-")


@dataclass(frozen=True)
class KeysetSlice:
    rows: list
    next_cursor: str | None  # continue after it (the next page), if there is one
    prev_cursor: str | None  # continue before it (the page before), if there is one


def _parse_cursor(queryset: QuerySet, column: Column, tiebreak: str, raw: str, name: str):
    value_text, _, id_text = raw.rpartition(SEPARATOR)
    message = gettext(
        "“%(name)s” is not a position in this list; start again from the first page."
    ) % {"name": name}
    if not id_text.isdecimal() or int(id_text) > ID_RANGE[1]:
        raise ApplicationError(message, {"field": name})
    if column.field == tiebreak:
        return None, int(id_text)
    try:
        value = queryset.model._meta.get_field(column.field).to_python(value_text)
    except (ValidationError, ValueError, TypeError):
        raise ApplicationError(message, {"field": name}) from None
    if value is None:
        raise ApplicationError(message, {"field": name})
    return value, int(id_text)


def _format_value(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _cursor(row, column: Column, tiebreak: str) -> str:
    key = getattr(row, tiebreak)
    if column.field == tiebreak:
        return str(key)
    return f"{_format_value(getattr(row, column.field))}{SEPARATOR}{key}"


def _beyond(column: Column, tiebreak: str, value, key: int, forward: bool) -> Q:
    """Rows past (value, key) in the direction read; the extra ``>=``/``<=`` on the column
    gives the database an index range to start from."""
    op = "gt" if forward else "lt"
    if column.field == tiebreak:
        return Q(**{f"{tiebreak}__{op}": key})
    past = Q(**{f"{column.field}__{op}": value}) | Q(
        **{column.field: value, f"{tiebreak}__{op}": key}
    )
    return Q(**{f"{column.field}__{op}e": value}) & past


def keyset_rows(
    queryset: QuerySet,
    *,
    sorting: Sorting,
    sort: str = "",
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> KeysetSlice:
    """``size`` rows in ``sort`` order after the cursor ``after`` or, with ``before``, the
    ``size`` rows just before it (shown in the same order). One query."""
    return keyset_rows_merged(
        [queryset], sorting=sorting, sort=sort, after=after, before=before, size=size
    )


def keyset_rows_merged(
    querysets: Sequence[QuerySet],
    *,
    sorting: Sorting,
    sort: str = "",
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> KeysetSlice:
    """``keyset_rows`` over the union of ``querysets`` (of one model), one query each.
    For rows filtered by ``IN`` over several keys (a campaign's lists): each key alone is
    read in order through its own index, where ``IN`` makes the database walk the
    primary key and filter, or sort every matching row."""
    column, descending = sorting.parse(sort)
    tiebreak = sorting.tiebreak
    cursor, backwards = (before, True) if before else (after, False)
    forward = descending == backwards  # ascending reading forward, or descending backwards
    sign = "" if forward else "-"
    order = [f"{sign}{tiebreak}"] if column.field == tiebreak else [f"{sign}{column.field}"]
    if column.field != tiebreak:
        order.append(f"{sign}{tiebreak}")
    beyond = None
    if cursor:
        name = "before" if before else "after"
        value, key = _parse_cursor(querysets[0], column, tiebreak, cursor, name)
        beyond = _beyond(column, tiebreak, value, key, forward)
    found = []
    for queryset in querysets:
        rows = queryset.order_by(*order)
        found += list((rows.filter(beyond) if beyond else rows)[: size + 1])
    if len(querysets) > 1:
        found.sort(key=lambda row: _sort_key(row, column, tiebreak), reverse=not forward)
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    first = _cursor(found[0], column, tiebreak) if found else None
    last = _cursor(found[-1], column, tiebreak) if found else None
    if backwards:
        return KeysetSlice(found, last, first if more else None)
    return KeysetSlice(found, last if more else None, first if cursor else None)


def _sort_key(row, column: Column, tiebreak: str) -> tuple:
    return (getattr(row, column.field), getattr(row, tiebreak))


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str
    direction: str  # "ascending", "descending" (the current sort) or ""


@dataclass
class KeysetPage:
    rows: list
    sort: str
    headers: dict[str, SortHeader]
    next_url: str | None
    prev_url: str | None
    first_url: str | None  # the first page, when this is not it
    error: str = ""  # a damaged cursor or sort: said on the page, first page shown
    extra: dict = field(default_factory=dict)

    @property
    def paged(self) -> bool:
        return bool(self.next_url or self.prev_url)


def _url(path: str, params: QueryDict, **changes: str) -> str:
    query = params.copy()
    for name in (*CURSOR_PARAMS, *changes):
        query.pop(name, None)
    for name, value in changes.items():
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def _headers(path: str, params: QueryDict, sorting: Sorting, sort: str) -> dict[str, SortHeader]:
    current, descending = sorting.parse(sort)
    headers = {}
    for column in sorting.columns:
        if column is current:
            direction = "descending" if descending else "ascending"
            target = column.key if descending else f"-{column.key}"
        else:
            direction = ""
            target = f"-{column.key}" if column.descending_first else column.key
        headers[column.key] = SortHeader(column.label, _url(path, params, sort=target), direction)
    return headers


def keyset_page(
    request,
    queryset: QuerySet,
    *,
    sorting: Sorting,
    size: int = PAGE_SIZE,
    rows: Callable[[list], list] | None = None,
    path: str = "",
) -> KeysetPage:
    """The page a list view shows, read from ``?sort=``, ``?after=`` and ``?before=``.
    A damaged cursor or unknown sort shows the first page in the default order with the
    reason. ``rows`` turns the page's objects into what the table shows (in a fixed number
    of queries)."""
    params: QueryDict = request.GET
    path = path or request.path
    sort = params.get("sort", "") or sorting.default
    error = ""
    try:
        found = keyset_rows(
            queryset,
            sorting=sorting,
            sort=sort,
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=size,
        )
    except ApplicationError as exc:
        error, sort = exc.message, sorting.default
        params = params.copy()
        for name in ("sort", *CURSOR_PARAMS):
            params.pop(name, None)
        found = keyset_rows(queryset, sorting=sorting, sort=sort, size=size)
    page = keyset_links(
        params,
        path=path,
        sorting=sorting,
        sort=sort,
        next_cursor=found.next_cursor,
        prev_cursor=found.prev_cursor,
    )
    page.rows = rows(found.rows) if rows else found.rows
    page.error = error
    return page


def keyset_links(
    params: QueryDict,
    *,
    path: str,
    sorting: Sorting,
    sort: str,
    next_cursor: str | int | None,
    prev_cursor: str | int | None,
) -> KeysetPage:
    """The headers and pager links of a page read elsewhere (``keyset_rows``), keeping
    every other parameter of ``params``; the page's ``rows`` are the caller's."""
    kept_sort = "" if sort == sorting.default else sort
    base = params.copy()
    base.pop("sort", None)
    if kept_sort:
        base["sort"] = kept_sort
    cursor_given = bool(params.get("after") or params.get("before"))
    return KeysetPage(
        rows=[],
        sort=sort,
        headers=_headers(path, base, sorting, sort),
        next_url=_url(path, base, after=str(next_cursor)) if next_cursor else None,
        prev_url=_url(path, base, before=str(prev_cursor)) if prev_cursor else None,
        first_url=_url(path, base) if cursor_given and prev_cursor else None,
    )


def sort_choices(sorting: Sorting) -> Sequence[tuple[str, str]]:
    """Every order of the list as (value, label) for a sort picker (both directions)."""
    choices = []
    for column in sorting.columns:
        first, second = ("-", "") if column.descending_first else ("", "-")
        for sign in (first, second):
            arrow = "↓" if sign else "↑"
            choices.append((f"{sign}{column.key}", f"{column.label} {arrow}"))
    return choices
