"""Layout checks a template test cannot make: element sizes and positions in Chromium at a
desktop width (1366 px) and a phone width (390 px), and the favicon. Each page changed for
issue 16 is also kept as a named screenshot at both widths (``var/e2e/layout-*.png``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.conftest import login, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "the element is not rendered"
    return box


def _page_fits(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width} px wide at {width} px"


def test_the_navigation_and_user_menu_fit_a_phone(page, live_server, supervisor):
    page.set_viewport_size(PHONE)
    login(page, live_server, supervisor)
    _page_fits(page, PHONE["width"])
    nav = page.locator("header.site-header nav")
    assert _box(nav)["x"] + _box(nav)["width"] <= PHONE["width"]
    for link in nav.get_by_role("link").all():
        box = _box(link)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
    menu = nav.locator("details.dropdown")
    summary = menu.locator("summary")
    box = _box(summary)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    summary.click()
    for item in menu.locator("ul li").all():
        box = _box(item)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], item.inner_text()
    snap(page, "layout-home-390-menu-open")


def test_every_page_has_a_favicon(page, live_server, supervisor):
    login(page, live_server, supervisor)
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href and href.endswith(".svg")
    assert page.request.get(f"{live_server.url}{href}").status == 200


def _checkbox_is_a_box(page, label: str) -> None:
    box = _box(page.get_by_label(label))
    # Pico draws a checkbox 1.25em square; the bug drew it about 4 px wide.
    assert box["width"] >= 14 and box["height"] >= 14, box
    assert abs(box["width"] - box["height"]) <= 2, box


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_toolbar_checkboxes_are_square(page, live_server, supervisor, viewport):
    from leads.models import ImportJob
    from tests.leads.factories import LeadListFactory

    page.set_viewport_size(viewport)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}{reverse('sync:job-list')}")
    _checkbox_is_a_box(page, "Needs attention")
    snap(page, f"layout-sync-jobs-{viewport['width']}")

    lead_list = LeadListFactory(name="Layout list")
    page.goto(f"{live_server.url}{reverse('leads:import-upload', args=[lead_list.pk])}")
    page.get_by_label("File").set_input_files(
        {"name": "few.csv", "mimeType": "text/csv", "buffer": b"phone,name\n2125550100,Ada\n"}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url(lambda url: "/imports/" in url)
    assert ImportJob.objects.filter(lead_list=lead_list).exists()
    _checkbox_is_a_box(page, "The first row holds column names")
    snap(page, f"layout-import-preview-{viewport['width']}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_changed_pages_fit_the_screen(page, live_server, supervisor, viewport):
    """Every page issue 16 changed: no sideways scrolling of the page itself (wide tables
    scroll in their own box), kept as ``var/e2e/layout-<page>-<width>.png``."""
    from leads.services import lead_list_counts_refresh
    from tests.campaigns.factories import CampaignFactory, disposition_list_with_codes
    from tests.e2e.conftest import lead_list_of
    from tests.leads.factories import ImportJobFactory
    from vendors.models import VendorAccount

    account = VendorAccount.objects.create(name="Webitel (layout)", kind="webitel")
    lead_list = lead_list_of(60, "Layout leads")
    ImportJobFactory(lead_list=lead_list, state="done", invalid_phone_count=1000)
    lead_list_counts_refresh(lead_list=lead_list)
    campaign = CampaignFactory(
        name="Layout campaign",
        vendor_account=account,
        status="active",
        disposition_list=disposition_list_with_codes(),
    )
    campaign.list_links.create(lead_list=lead_list, position=0)
    pages = {
        "home": reverse("home"),
        "campaigns": reverse("campaigns:list"),
        "campaign": reverse("campaigns:detail", args=[campaign.pk]),
        "campaign-stop-confirm": reverse("campaigns:action", args=[campaign.pk, "stop"]),
        "campaign-leads": reverse("campaigns:leads", args=[campaign.pk])
        + "?after="
        + str(lead_list.leads.order_by("id")[49].pk),
        "lead-lists": reverse("leads:list"),
        "lead-list-invalid": reverse("leads:detail", args=[lead_list.pk]) + "?status=invalid",
        "sync-jobs": reverse("sync:job-list"),
        "lead-search": reverse("leads:search") + "?q=%2B9198765",
        "lead": reverse("leads:lead", args=[lead_list.leads.order_by("id")[0].pk]),
        "not-found": "/no-such-page/",
    }
    page.set_viewport_size(viewport)
    login(page, live_server, supervisor)
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        _page_fits(page, viewport["width"])
        snap(page, f"layout-{name}-{viewport['width']}")
