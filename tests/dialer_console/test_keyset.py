"""The keyset pages and sortable headers every list page uses (dialer_console.keyset)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign
from dialer_console.errors import ApplicationError
from dialer_console.keyset import (
    Column,
    Sorting,
    keyset_page,
    keyset_rows,
    keyset_rows_merged,
    sort_choices,
)

pytestmark = pytest.mark.django_db

SORTING = Sorting(
    columns=(
        Column("name", "Campaign", "name"),
        Column("updated", "Changed", "updated_at", descending_first=True),
        Column("id", "Id", "id"),
    ),
    default="name",
)


@pytest.fixture
def campaigns():
    """Seven campaigns whose names and times tie in pairs, so the id must break ties."""
    base = timezone.now()
    rows = []
    for n in range(7):
        campaign = Campaign.objects.create(name=f"C{n // 2}")
        Campaign.objects.filter(pk=campaign.pk).update(updated_at=base - timedelta(hours=n // 2))
        rows.append(Campaign.objects.get(pk=campaign.pk))
    return rows


def _walk(sort: str, size: int = 3) -> tuple[list[int], list[list[int]]]:
    """Every row by following next cursors, then every page again by previous cursors."""
    queryset = Campaign.objects.all()
    pages, cursor = [], ""
    while True:
        found = keyset_rows(queryset, sorting=SORTING, sort=sort, after=cursor, size=size)
        pages.append([row.pk for row in found.rows])
        if not found.next_cursor:
            break
        cursor = found.next_cursor
    back, before = [], keyset_rows(queryset, sorting=SORTING, sort=sort, after=cursor, size=size)
    back.append([row.pk for row in before.rows])
    while before.prev_cursor:
        before = keyset_rows(
            queryset, sorting=SORTING, sort=sort, before=before.prev_cursor, size=size
        )
        back.append([row.pk for row in before.rows])
    return [pk for page in pages for pk in page], back[::-1]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("name", lambda c: (c.name, c.pk)),
        ("-name", lambda c: (c.name, c.pk)),
        ("updated", lambda c: (c.updated_at, c.pk)),
        ("-updated", lambda c: (c.updated_at, c.pk)),
        ("id", lambda c: c.pk),
        ("-id", lambda c: c.pk),
    ],
)
def test_pages_forward_and_back_cover_every_row_once_in_order(campaigns, sort, key):
    expected = [c.pk for c in sorted(campaigns, key=key, reverse=sort.startswith("-"))]
    forward, back = _walk(sort)
    assert forward == expected
    # Going back page by page from the last page gives the same pages, in the same order.
    assert [pk for page in back for pk in page] == expected
    assert [len(page) for page in back] == [3, 3, 1]


@pytest.mark.parametrize("sort", ["name", "-name", "-updated", "id", "-id"])
def test_pages_merged_from_several_querysets_are_the_pages_of_their_union(campaigns, sort):
    odd, even = (
        Campaign.objects.filter(id__in=[c.pk for c in campaigns[1::2]]),
        (Campaign.objects.filter(id__in=[c.pk for c in campaigns[::2]])),
    )
    whole = Campaign.objects.all()
    cursor, before = "", ""
    for _ in range(3):
        merged = keyset_rows_merged(
            [odd, even], sorting=SORTING, sort=sort, after=cursor, before=before, size=3
        )
        alone = keyset_rows(whole, sorting=SORTING, sort=sort, after=cursor, before=before, size=3)
        assert merged == alone
        cursor = merged.next_cursor or ""
    back = keyset_rows_merged([odd, even], sorting=SORTING, sort=sort, before=cursor, size=3)
    assert back == keyset_rows(whole, sorting=SORTING, sort=sort, before=cursor, size=3)
    with CaptureQueriesContext(connection) as queries:
        keyset_rows_merged([odd, even], sorting=SORTING, sort=sort, size=3)
    assert len(queries) == 2  # one a queryset


def test_one_query_a_page_and_no_count(campaigns):
    with CaptureQueriesContext(connection) as queries:
        keyset_rows(Campaign.objects.all(), sorting=SORTING, sort="-updated", size=3)
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql and "LIMIT 4" in sql


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "status"}, "“status” is not a sort of this list: use one of name, updated, id."),
        ({"after": "x"}, "“after” is not a position in this list"),
        ({"before": "C1~99999999999999999999999"}, "“before” is not a position in this list"),
        ({"sort": "updated", "after": "yesterday~3"}, "“after” is not a position in this list"),
    ],
)
def test_a_damaged_link_shows_the_first_page_and_says_why(campaigns, params, message):
    request = RequestFactory().get("/campaigns/", {"q": "c", **params})
    page = keyset_page(request, Campaign.objects.all(), sorting=SORTING, size=3)
    assert message in page.error
    assert [row.pk for row in page.rows] == [c.pk for c in campaigns[:3]]
    assert page.next_url == f"/campaigns/?q=c&after=C1~{campaigns[2].pk}"
    with pytest.raises(ApplicationError):
        keyset_rows(Campaign.objects.all(), sorting=SORTING, size=3, **params)


def test_headers_and_pager_keep_the_filters_and_start_a_new_sort_at_page_one(campaigns):
    page = keyset_page(
        RequestFactory().get(
            "/campaigns/", {"q": "c", "status": "draft", "sort": "-updated", "page": "2"}
        ),
        Campaign.objects.all(),
        sorting=SORTING,
        size=3,
    )
    headers = page.headers
    assert headers["updated"].direction == "descending"
    assert headers["updated"].url == "/campaigns/?q=c&status=draft&sort=updated"
    assert headers["name"].direction == "" and headers["name"].url.endswith("&sort=name")
    assert page.next_url.startswith("/campaigns/?q=c&status=draft&sort=-updated&after=")
    assert "page=" not in page.next_url and page.prev_url is None and page.first_url is None
    second = keyset_page(
        RequestFactory().get(page.next_url), Campaign.objects.all(), sorting=SORTING, size=3
    )
    assert second.prev_url.startswith("/campaigns/?q=c&status=draft&sort=-updated&before=")
    assert second.first_url == "/campaigns/?q=c&status=draft&sort=-updated"


def test_the_default_sort_is_left_out_of_links(campaigns):
    page = keyset_page(
        RequestFactory().get("/x/", {"sort": "name"}), Campaign.objects.all(), sorting=SORTING
    )
    assert page.headers["name"].url == "/x/?sort=-name"
    assert page.headers["updated"].url == "/x/?sort=-updated"  # descending first
    assert page.next_url is None and not page.paged


def test_sort_choices_list_both_directions_first_direction_first():
    assert sort_choices(SORTING)[:4] == [
        ("name", "Campaign ↑"),
        ("-name", "Campaign ↓"),
        ("-updated", "Changed ↓"),
        ("updated", "Changed ↑"),
    ]
