"""Every main page, its HTMX swaps and the API docs load in Chromium under the
Content-Security-Policy without a single violation in the console."""

from __future__ import annotations

import pytest

from leads.models import LeadList
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.e2e.conftest import login
from tests.leads.factories import ImportJobFactory, LeadListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    found: list[str] = []

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def test_pages_and_api_docs_load_with_no_csp_violation(page, live_server, supervisor):
    campaign = CampaignFactory(vendor_account=VendorAccountFactory())
    lead_list = LeadListFactory()
    job = ImportJobFactory(lead_list=lead_list, state="done")
    violations = _violations(page)
    login(page, live_server, supervisor)
    paths = [
        "/",
        "/campaigns/",
        "/campaigns/new/",
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/leads/",
        "/leads/",
        f"/leads/{lead_list.pk}/",
        f"/leads/{lead_list.pk}/import/",
        f"/leads/imports/{job.pk}/",
        "/dnc/",
        "/vendors/",
        f"/vendors/accounts/{campaign.vendor_account.pk}/",
        "/sync/jobs/",
        "/accounts/tokens/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
        page.wait_for_load_state("networkidle")
    # Confirmations come from console.js (data-confirm), not from inline handlers: refusing
    # one keeps the list.
    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    questions = []

    def refuse(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.get_by_role("button", name="Delete list").click()
    page.wait_for_load_state("networkidle")
    assert questions == ["Delete this list and all its leads?"]
    assert page.url == f"{live_server.url}/leads/{lead_list.pk}/"
    assert LeadList.objects.filter(pk=lead_list.pk).exists()
    # An HTMX swap: choosing a vendor account swaps in that vendor's settings fieldset.
    page.goto(f"{live_server.url}/campaigns/new/")
    page.get_by_label("Vendor account").select_option(str(campaign.vendor_account.pk))
    page.wait_for_load_state("networkidle")
    # The API docs render their UI (their scripts come from our static files).
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info").wait_for()
    page.goto(f"{live_server.url}/api/redoc/")
    page.locator("[role=search], .api-content").first.wait_for()
    assert violations == []
