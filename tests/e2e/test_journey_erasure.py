"""Journey: erasing a person takes their lead off a Webitel dialer.

A Webitel campaign on the sandbox dials a list holding the person. The supervisor opens
"Erase a person" from the user menu, finds them by a national number, sees their lead
and the dialer holding it, confirms, and erases. The worker takes the member off the
Webitel dialer; once it is gone the erasure finishes (as beat would run it) and its
record says Done, naming no number.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from privacy.services import erasures_finish
from sync.models import CampaignRemote
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, lead_list_of, login, sandbox_account, snap
from vendors.sandbox import sandbox_emulator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SYNC_TIMEOUT_S = 30
PERSON = "+919876500003"  # lead_list_of's fourth number


def _numbers_on_dialer(campaign) -> set[str]:
    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    members = sandbox_emulator("webitel").members[remote_id].values()
    return {member["communications"][0]["number"] for member in members}


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + SYNC_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_erasing_a_person_takes_their_lead_off_a_webitel_dialer(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    from campaigns.services import campaign_transition

    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(5, "Pune renewals")
    Lead.objects.filter(phone=PERSON).update(last_name="Rao", email="asha.rao@example.in")
    campaign = campaign_on(
        account,
        name="Pune renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    _wait_for(lambda: PERSON in _numbers_on_dialer_or_empty(campaign), "the push")

    login(page, live_server, supervisor)
    page.get_by_text(supervisor.username, exact=True).click()
    page.get_by_role("link", name="Erase a person").click()
    page.get_by_label("Phone number").fill("098765 00003")
    page.get_by_label("Country of a national number").select_option("IN")
    page.get_by_role("button", name="Find").click()

    findings = page.locator("#findings")
    expect(findings).to_contain_text("Pune renewals")
    expect(findings).to_contain_text("asha.rao@example.in")
    expect(findings).to_contain_text("Pune renewals: Pushed")
    snap(page, "journey-erasure-01-findings")

    page.get_by_role("button", name="Erase").click()
    expect(page.locator("#id_confirm")).to_be_visible()
    assert Lead.objects.filter(phone=PERSON, last_name="Rao").exists()  # not without confirm
    page.get_by_label("I have checked that these records are the person's; erase them").check()
    page.get_by_role("button", name="Erase").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erasure #")
    expect(page.locator("main")).to_contain_text("Waiting for the dialers")

    _wait_for(lambda: PERSON not in _numbers_on_dialer(campaign), "the removal")
    assert len(_numbers_on_dialer(campaign)) == 4  # the others stay
    _wait_for(lambda: erasures_finish() == 1, "the erasure to finish")
    page.reload()
    expect(page.locator("main")).to_contain_text("Done")
    expect(page.locator("#erasure-counts")).to_contain_text("leads.Lead")
    assert "9876500003" not in page.content()
    assert not Lead.objects.filter(phone=PERSON).exists()
    snap(page, "journey-erasure-02-done")


def _numbers_on_dialer_or_empty(campaign) -> set[str]:
    if not CampaignRemote.objects.filter(campaign=campaign).exclude(remote_ref={}).exists():
        return set()
    return _numbers_on_dialer(campaign)
