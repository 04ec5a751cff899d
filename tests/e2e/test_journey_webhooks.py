"""Journey: a supervisor connects a team's CRM.

Adds an HTTPS endpoint from the navigation, copies the secret shown once, finds it gone
when the page is opened again, sees a private address refused in the form, and replays a
failed delivery from the endpoint's delivery log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sync.services import jobs
from tests.accounts.factories import TeamFactory
from tests.e2e.conftest import labelled, login, run_axe, settle, snap
from tests.webhooks.helpers import campaign_with_lead, record
from vendors.adapters.http import egress
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _public_crm(monkeypatch, settings):
    settings.VENDOR_SANDBOX = False
    table = {"crm.example.com": ["93.184.216.34"], "intranet.example.com": ["10.0.0.5"]}
    monkeypatch.setattr(egress, "resolve", lambda host, port: table[host])
    monkeypatch.setattr(jobs, "_publish", lambda job_id, countdown=0: None)  # no broker


def test_a_supervisor_adds_an_endpoint_and_replays_a_delivery(page, live_server, supervisor):
    team = TeamFactory(name="Team North")
    login(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    page.get_by_role("button", name="Add an endpoint").click()

    labelled(page, "URL").fill("https://intranet.example.com/hook")
    labelled(page, "Team").select_option(label="Team North")
    page.get_by_label("Disposition recorded").check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("body")).to_contain_text("private or local address")
    assert not WebhookEndpoint.objects.exists()

    labelled(page, "URL").fill("https://crm.example.com/hooks/console")
    page.get_by_role("button", name="Add endpoint").click()
    secret = page.locator("[data-webhook-secret]")
    expect(secret).to_have_text(re.compile(r"^whsec_"))
    shown = secret.inner_text()
    snap(page, "journey-webhooks-01-secret-once")
    assert run_axe(page) == []

    endpoint = WebhookEndpoint.objects.get()
    page.goto(f"{live_server.url}/webhooks/{endpoint.pk}/")
    expect(page.locator("[data-webhook-secret]")).to_have_count(0)
    assert shown not in page.content()

    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state="failed", status_code=401, attempts=1, error="The endpoint refused the delivery."
    )
    page.reload()
    row = page.locator(f'[data-delivery="{delivery.pk}"]')
    expect(row).to_contain_text("401")
    row.get_by_role("button", name="Replay").click()
    settle(page)
    expect(page.locator("body")).to_contain_text("queued again")
    expect(page.locator("[data-delivery]")).to_have_count(2)
    snap(page, "journey-webhooks-02-replayed")
