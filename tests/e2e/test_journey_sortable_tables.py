"""Journey: a supervisor sorts and pages a long table, and the filters stay.

On the do-not-call list (120 entries): sort by number with the column header, search by
the first digits, page forward and back (keyset pages, no page numbers), with the sort
and the search kept in the address at every step; then at 390 px the pager still fits.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leads.models import DncEntry
from tests.e2e.conftest import labelled, login, run_axe, settle, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shown(page) -> list[str]:
    return page.locator("#dnc-results tbody tr[data-phone]").evaluate_all(
        "rows => rows.map(row => row.dataset.phone)"
    )


def test_a_supervisor_sorts_filters_and_pages_the_dnc_list(page, live_server, supervisor):
    # Added in an order unlike their numbers, so sorting by number changes the page.
    numbers = [f"+1212555{(n * 37) % 1000:04d}" for n in range(100)]
    numbers += [f"+1646555{n:04d}" for n in range(20)]
    DncEntry.objects.bulk_create(DncEntry(phone=number, scope="everywhere") for number in numbers)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/dnc/")
    header = page.locator("#dnc-results th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "descending")  # newest first
    expect(header).to_contain_text("Added")
    expect(page.locator("#dnc-results tbody tr")).to_have_count(50)
    assert _shown(page)[0] == numbers[-1]

    page.locator("#dnc-results th").filter(has_text="Phone").get_by_role("link").click()
    settle(page)
    assert "sort=phone" in page.url
    expect(page.locator("#dnc-results th[aria-sort]")).to_contain_text("Phone")
    assert _shown(page) == sorted(numbers)[:50]
    expect(page.locator("select[name=country]")).to_have_value("US")  # filters keep values

    labelled(page, "Phone").fill("+1212555")
    page.get_by_role("button", name="Search").click()
    settle(page)
    assert "sort=phone" in page.url and "phone=%2B1212555" in page.url
    first = sorted(numbers[:100])
    assert _shown(page) == first[:50]
    expect(page.get_by_role("link", name="← Previous")).to_have_count(0)
    snap(page, "journey-tables-01-sorted-and-searched")

    page.get_by_role("link", name="Next →").click()
    settle(page)
    assert _shown(page) == first[50:100]
    assert "sort=phone" in page.url and "phone=%2B1212555" in page.url and "after=" in page.url
    expect(page.get_by_role("link", name="Next →")).to_have_count(0)  # the last page

    page.get_by_role("link", name="← Previous").click()
    settle(page)
    assert _shown(page) == first[:50]
    assert "before=" in page.url and "sort=phone" in page.url
    assert run_axe(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Next →").scroll_into_view_if_needed()
    box = page.locator("nav.pager").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    snap(page, "journey-tables-02-pager-390")
