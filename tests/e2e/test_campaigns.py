"""A supervisor builds one campaign per vendor through the campaign form in Chromium, on
the demo data; the Acefone one carries every documented field and reopens unchanged."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from campaigns.vendor_settings import vendor_form
from tests.campaigns.test_acefone_round_trip import EVERY_FIELD_PREVIEW
from tests.campaigns.vendor_data import VALID_SETTINGS, derived_with, html_data
from vendors.adapters.types import RemoteItem
from vendors.models import VendorAccount
from vendors.remote_items import RemoteItems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KINDS = ("acefone", "voicenter", "webitel", "jtel", "ozonetel")
# Fields whose change re-renders the vendor fieldset: set them first.
CONTROLLERS = ("vendor-dial_method", "vendor-enable_inbound", "vendor-manual_dial_enabled",
               "vendor-expiry_policy", "vendor-amd_enabled")  # fmt: skip


@pytest.fixture
def demo(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Voicenter's campaigns are listed; the other lists cannot be read, so their ids are
    # typed (tests/e2e/test_remote_choices.py chooses them from the emulators).
    linked = (RemoteItem(remote_id="campaign01", name="Linked campaign"),)
    monkeypatch.setattr(
        "vendors.remote_items.vendor_remote_items",
        lambda *, account, source: RemoteItems(
            linked if source == "campaigns" else None, "Not reachable in this test.", "item"
        ),
    )
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for kind in KINDS:  # the demo has an account for each vendor whose adapter is installed
        if not VendorAccount.objects.filter(kind=kind).exists():
            VendorAccount.objects.create(
                name=f"{kind} e2e", kind=kind, base_url="http://127.0.0.1:9"
            )
    return {account.kind: account for account in VendorAccount.objects.all()}


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _settle(page):
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _set(page, name: str, value: str):
    element = page.locator(f'[name="{name}"]').first
    kind = element.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    if kind.startswith("select"):
        element.select_option(value)
    elif kind.endswith("checkbox"):
        element.check()
    else:
        element.fill(value)
    element.dispatch_event("change")
    _settle(page)


# A dial method each vendor has (the vendor's dial method is the campaign's).
DIAL_METHODS = {"acefone": "preview", "webitel": "predictive"}


def _fill_campaign(page, live_server, account, name: str, settings: dict):
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=vendor_account]", str(account.pk))
    page.wait_for_selector("#vendor-fieldset legend:has-text('settings')")
    _settle(page)
    _set(page, "dial_method", DIAL_METHODS.get(account.kind, "progressive"))
    _settle(page)
    data = html_data(account.kind, settings)
    for field in CONTROLLERS:
        if field in data:
            _set(page, field, data.pop(field))
    for field, value in data.items():
        if field.endswith("-TOTAL"):
            continue
        _set(page, field, value)
    page.click("#campaign-form button[type=submit]:has-text('Save')")
    page.wait_for_url(f"{live_server.url}/campaigns/*/")


def test_a_supervisor_creates_one_campaign_per_vendor(page, live_server, demo):
    _log_in(page, live_server)
    for kind in KINDS:
        settings = EVERY_FIELD_PREVIEW if kind == "acefone" else VALID_SETTINGS[kind]
        _fill_campaign(page, live_server, demo[kind], f"E2E {kind}", settings)
        campaign = Campaign.objects.get(name=f"E2E {kind}")
        dial_method = {"campaign:dial_method": DIAL_METHODS.get(kind, "progressive")}
        expected = vendor_form(
            account=demo[kind], data=settings, derived=derived_with(kind, dial_method)
        )
        assert expected.is_valid(), expected.errors
        assert campaign.vendor_settings == expected.settings(), kind
        # A saved campaign is a draft: nothing goes to the dialer until it is started.
        assert page.locator("#sync-panel [data-sync-state]").inner_text() == "Draft"

    acefone = Campaign.objects.get(name="E2E acefone")
    page.goto(f"{live_server.url}/campaigns/{acefone.pk}/edit/")
    assert page.locator("#field-vendor-auto_dial_duration").is_visible()
    assert not page.locator("#field-vendor-dial_ratio").is_visible()
    page.click("#campaign-form button[type=submit]:has-text('Save')")
    page.wait_for_url(f"{live_server.url}/campaigns/{acefone.pk}/")
    acefone.refresh_from_db()
    assert acefone.vendor_settings == EVERY_FIELD_PREVIEW


def test_inline_validation_and_conditional_fields(page, live_server, demo):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.select_option("select[name=vendor_account]", str(demo["acefone"].pk))
    page.wait_for_selector("#field-vendor-dial_method .derived-value")
    _set(page, "dial_method", "ratio")  # the campaign's: Acefone's follows
    _settle(page)
    assert page.locator("#field-vendor-dial_ratio").is_visible()
    assert not page.locator("#field-vendor-auto_dial_duration").is_visible()
    _set(page, "vendor-after_call_work_duration", "three")
    error = page.locator("#field-vendor-after_call_work_duration .field-error")
    assert error.inner_text() == "Enter a whole number (digits only)."
