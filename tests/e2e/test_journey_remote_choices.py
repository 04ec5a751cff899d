"""Journeys: vendor-side ids are chosen, not typed (#12 point 4), and jtel's result
codes mapped to the campaign's disposition codes (#12 point 3).

A supervisor builds a Voicenter campaign by choosing the campaign to link from the
select the dialer filled, and a jtel campaign by choosing its template campaign; a
template added on jtel afterwards appears after Refresh; Test connection names what was
chosen. The campaigns hold the chosen values.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from results.result_code_map import result_code_lookup
from tests.campaigns.factories import disposition_list_with_codes
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    labelled,
    login,
    sandbox_account,
    sandbox_control,
    settle,
    snap,
)
from vendors.sandbox import sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _new_campaign(page, live_server, name: str, account) -> None:
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=vendor_account]", str(account.pk))
    page.wait_for_selector("#vendor-fieldset legend:has-text('settings')")
    settle(page)


def _test_connection(page) -> None:
    page.locator("#vendor-fieldset").get_by_role("button", name="Test connection").click()
    settle(page)


def _save(page, live_server) -> None:
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/campaigns/*/")


def test_a_supervisor_chooses_a_voicenter_campaign_and_a_jtel_template(
    page, live_server, e2e_sandbox, supervisor
):
    voicenter = sandbox_account(e2e_sandbox, "voicenter", "Voicenter sandbox")
    jtel = sandbox_account(e2e_sandbox, "jtel", "jtel sandbox")
    with sandbox_state("jtel") as emulator:
        emulator.add_campaign("Outbound DE", like=535)
    login(page, live_server, supervisor)

    _new_campaign(page, live_server, "Morning linked", voicenter)
    code = labelled(page.locator("#vendor-fieldset"), "Voicenter campaign")
    expect(code.locator("option")).to_have_text(
        [
            "Choose a Voicenter campaign",
            "Morning messages (vcsbx0001morning)",
            "Campaign leads (vcsbx0002leads)",
        ]
    )
    code.select_option(label="Morning messages (vcsbx0001morning)")
    settle(page)
    _test_connection(page)
    answer = page.locator("#vendor-test-answer")
    expect(answer).to_contain_text(
        "The Voicenter campaign “Morning messages” (id vcsbx0001morning) was found."
    )
    snap(page, "remote-choices-voicenter")
    _save(page, live_server)
    assert Campaign.objects.get(name="Morning linked").vendor_settings["Code"] == (
        "vcsbx0001morning"
    )

    _new_campaign(page, live_server, "Outbound Berlin", jtel)
    template = labelled(page.locator("#vendor-fieldset"), "Template campaign")
    expect(template.locator("option")).to_have_text(
        ["Choose a template campaign", "Campaign 1000", "Outbound DE"]
    )
    with sandbox_state("jtel") as emulator:
        emulator.add_campaign("Outbound AT", like=535)
    page.locator("#vendor-fieldset").get_by_role("button", name="Refresh").click()
    settle(page)
    template = labelled(page.locator("#vendor-fieldset"), "Template campaign")
    expect(template.locator("option")).to_have_text(
        # jtel lists its campaigns ordered by name.
        ["Choose a template campaign", "Campaign 1000", "Outbound AT", "Outbound DE"]
    )
    template.select_option("Outbound DE")
    settle(page)
    _test_connection(page)
    expect(page.locator("#vendor-test-answer")).to_contain_text(
        "The template campaign “Outbound DE” was found."
    )
    snap(page, "remote-choices-jtel")
    _save(page, live_server)
    saved = Campaign.objects.get(name="Outbound Berlin").vendor_settings
    assert saved["source"] == "Outbound DE"
    assert "destination" not in saved  # the campaign's name (jtel's field map)


def test_an_unreachable_dialer_lets_the_supervisor_type_the_code(
    page, live_server, e2e_sandbox, supervisor
):
    voicenter = sandbox_account(e2e_sandbox, "voicenter", "Voicenter sandbox")
    sandbox_control(e2e_sandbox, "voicenter", "_faults", fault="server_error", remaining=None)
    login(page, live_server, supervisor)
    _new_campaign(page, live_server, "Typed link", voicenter)
    fieldset = page.locator("#vendor-fieldset")
    expect(fieldset.locator('input[type="text"][name="vendor-Code"]')).to_be_visible()
    expect(fieldset.get_by_role("note")).to_contain_text(
        "The dialer could not be asked for its list (Voicenter had a server error (500)"
    )
    snap(page, "remote-choices-typed")
    labelled(fieldset, "Voicenter campaign").fill("vcsbx0002leads")
    _save(page, live_server)
    assert Campaign.objects.get(name="Typed link").vendor_settings["Code"] == "vcsbx0002leads"


def test_a_supervisor_maps_jtels_result_codes(page, live_server, e2e_sandbox, supervisor, settings):
    # jtel's excerpt shows campaign records without their ID; the sandbox's guess that
    # they carry one (GUESSED_EXTRAS) lets the template's result codes be read by id.
    settings.VENDOR_SANDBOX_GUESSED_EXTRAS = True
    jtel = sandbox_account(e2e_sandbox, "jtel", "jtel sandbox")
    campaign = campaign_on(
        jtel,
        name="Spring DE",
        settings={"source": "Campaign 1000", "destination": "Spring DE"},
        acting_user=supervisor,
    )
    campaign.disposition_list = disposition_list_with_codes()
    campaign.save(update_fields=["disposition_list"])
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Map jtel's result codes").click()
    page.get_by_label("Disposition code for ABG").select_option(label="SALE: Sale")
    page.get_by_label("Disposition code for WV").select_option(label="CB: Call back")
    page.get_by_role("button", name="Save the mapping").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved: 2 of 3 result codes mapped.")
    snap(page, "result-codes-jtel")
    assert result_code_lookup(campaign=campaign) == {"ABG": "SALE", "WV": "CB"}


def test_a_supervisor_chooses_acefone_lead_lists_row_by_row(
    page, live_server, e2e_sandbox, supervisor
):
    acefone = sandbox_account(e2e_sandbox, "acefone", "Acefone sandbox")
    campaign = campaign_on(
        acefone, name="Pune renewals", settings=VALID_SETTINGS["acefone"], acting_user=supervisor
    )
    # A caller ID the console's check takes, and Preview (its settings give the duration).
    Campaign.objects.filter(pk=campaign.pk).update(caller_id="+918045678900", dial_method="preview")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/edit/")
    fieldset = page.locator("#vendor-fieldset")
    first = fieldset.get_by_label("Acefone list id 1", exact=True)
    expect(first.locator("option")).to_have_text(
        [
            "Choose an Acefone lead list",
            "Sandbox list 101 (101)",
            "Sandbox list 102 (102)",
            "Sandbox list 103 (103)",
        ]
    )
    first.select_option("102")
    settle(page)
    labelled(fieldset, "Auto dial duration").fill("15")
    fieldset.get_by_label("Active 1", exact=True).check()
    settle(page)
    snap(page, "remote-choices-acefone")
    _save(page, live_server)
    campaign.refresh_from_db()
    assert campaign.vendor_settings["lead_list_map"] == [{"list_id": 102, "list_status": 1}]
