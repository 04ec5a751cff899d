"""Journey 5: keyboard and labels.

- The campaign form is filled in and submitted with the keyboard alone: Tab to move,
  typing, arrow keys in selects, Space on switches, Enter on Save; no clicks.
- Every form control on the main pages has a label, and axe-core (served from our own
  static files) finds no serious or critical violation on them.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from campaigns.models import Campaign
from leads.models import Lead
from leads.services import (
    import_job_configure,
    import_job_create,
    import_job_start,
    lead_import_run,
)
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, labelled, login, run_axe, sandbox_account, snap
from tests.leads.factories import LeadListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Controls that have no accessible name: no <label for>, no wrapping <label>, no
# aria-label or aria-labelledby. Hidden inputs and buttons are not form fields to label.
UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll("input, select, textarea")]
  .filter(e => !["hidden", "submit", "button", "reset"].includes(e.type))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute("aria-label")
               && !e.getAttribute("aria-labelledby"))
  .map(e => e.outerHTML.slice(0, 160))
"""


def upload(lead_list, user, name: str, content: bytes):
    return import_job_create(
        lead_list=lead_list, upload=SimpleUploadedFile(name, content), acting_user=user
    )


@pytest.fixture
def console_pages(live_server, e2e_sandbox, supervisor):
    """One of each thing the main pages show, and those pages' addresses."""
    account = sandbox_account(e2e_sandbox, "acefone", "Acefone sandbox")
    campaign = campaign_on(
        account,
        name="Labelled campaign",
        settings=VALID_SETTINGS["acefone"],
        acting_user=supervisor,
    )
    lead_list = LeadListFactory(name="Labelled list")
    lead = Lead.objects.create(lead_list=lead_list, phone="+12125550100", first_name="Ann")
    waiting = upload(lead_list, supervisor, "waiting.csv", b"phone,first_name\n2125550101,Bo\n")
    done = upload(lead_list, supervisor, "done.csv", b"phone,first_name\n2125550102,Cy\nx,Dee\n")
    import_job_configure(job=done, mapping=done.mapping, default_country="US", acting_user=None)
    import_job_start(job=done, enqueue=False)
    lead_import_run(job_id=done.pk)
    return {
        "home": "/",
        "campaign list": "/campaigns/",
        "campaign create": "/campaigns/new/",
        "campaign detail": f"/campaigns/{campaign.pk}/",
        "campaign edit": f"/campaigns/{campaign.pk}/edit/",
        "lead lists": "/leads/",
        "lead list": f"/leads/{lead_list.pk}/",
        "new lead list": "/leads/new/",
        "import upload": f"/leads/{lead_list.pk}/import/",
        "import preview": f"/leads/imports/{waiting.pk}/",
        "import mapping": f"/leads/imports/{waiting.pk}/mapping/",
        "import result": f"/leads/imports/{done.pk}/",
        "vendor accounts": "/vendors/",
        "vendor account": f"/vendors/accounts/{account.pk}/",
        "add vendor account": "/vendors/accounts/new/?kind=acefone",
        "call log": f"/vendors/accounts/{account.pk}/calls/",
        "sync jobs": "/sync/jobs/",
        "lead search": "/leads/search/?q=212",
        "lead": f"/leads/lead/{lead.pk}/",
    }


def test_every_control_is_labelled_and_axe_finds_nothing_serious(
    page, live_server, supervisor, console_pages
):
    login(page, live_server, supervisor)
    unlabelled, violations = {}, {}
    for name, path in console_pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, f"{name}: {response.status}"
        if found := page.evaluate(UNLABELLED_CONTROLS):
            unlabelled[name] = found
        if found := run_axe(page):
            violations[name] = [
                f"{v['id']} ({v['impact']}): {v['help']} at "
                + ", ".join(str(node["target"]) for node in v["nodes"][:3])
                for v in found
            ]
    assert (unlabelled, violations) == ({}, {})


# --- the campaign form by keyboard -------------------------------------------------------


def focused(page, attribute: str = "id") -> str:
    return page.evaluate(f"document.activeElement.{attribute} || ''")


def tab_to(page, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return
    pytest.fail(f"#{element_id} cannot be reached with Tab")


def choose(page, value: str, limit: int = 30) -> None:
    """Arrow through the focused select's options until ``value`` is chosen."""
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(limit):
            if focused(page, "value") == value:
                return
            page.keyboard.press(key)
    pytest.fail(f"no option {value!r} in #{focused(page)}")


def settle_htmx(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


# (element id, what to do, value) in the order the form shows them.
KEYBOARD_STEPS = [
    ("id_name", "type", "Typed, not clicked"),
    ("id_vendor_account", "choose", None),  # the account's pk, known in the test
    # The campaign's Ratio (typed ahead: one change, no option in between): Acefone's dial
    # method follows, and the dial ratio field appears.
    ("id_dial_method", "type", "Ratio"),
    ("id_caller_id", "type", "+918045678900"),
    ("id_vendor-dial_ratio", "type", "1.5"),
    ("id_vendor-dial_status", "type", "NEW, CALLBACK"),
    ("id_vendor-update_lead_details", "space", None),
]


def test_the_campaign_form_by_keyboard_alone(page, live_server, e2e_sandbox, supervisor):
    account = sandbox_account(e2e_sandbox, "acefone", "Acefone sandbox")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.mouse.move(0, 0)  # nothing below is clicked; the pointer stays out of the way
    for element_id, action, value in KEYBOARD_STEPS:
        tab_to(page, element_id)
        if action == "type":
            page.keyboard.type(value)
            if element_id == "id_dial_method":
                page.wait_for_load_state("networkidle")
                settle_htmx(page)
                derived = page.locator("#field-vendor-dial_method .derived-value")
                expect(derived).to_have_text("Ratio")
        elif action == "choose":
            choose(page, value or str(account.pk))
            settle_htmx(page)  # a vendor or dial method change redraws the vendor fields
            expect(page.locator(f"#{element_id}")).to_be_focused()
        else:
            page.keyboard.press("Space")
    settle_htmx(page)
    for _ in range(200):  # on to the Save button
        page.keyboard.press("Tab")
        if focused(page, "textContent").strip() == "Save":
            break
    snap(page, "journey5-01-campaign-form-by-keyboard")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("Campaign “Typed, not clicked” saved.")
    campaign = Campaign.objects.get(name="Typed, not clicked")
    settings = campaign.vendor_settings
    assert campaign.vendor_account == account
    assert (campaign.dial_method, campaign.caller_id) == ("ratio", "+918045678900")
    assert settings["dial_ratio"] == "1.5"
    assert settings["dial_status"] == ["NEW", "CALLBACK"]
    assert settings["update_lead_details"] == 1
    assert settings["hide_lead_details"] == 0
    snap(page, "journey5-02-campaign-saved-by-keyboard")


def test_the_campaign_form_labels_name_their_controls(page, live_server, e2e_sandbox, supervisor):
    """Each label of the campaign form, found by its words, leads to its own control."""
    account = sandbox_account(e2e_sandbox, "acefone", "Acefone sandbox")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    labelled(page, "Vendor account").select_option(str(account.pk))
    expect(page.locator("#vendor-fieldset legend")).to_contain_text("Acefone settings")
    pairs = page.eval_on_selector_all(
        "#campaign-form label[for]:not([for=''])",
        "labels => labels.filter(l => l.control)"
        "  .map(l => [l.textContent.replace('*', '').trim(), l.htmlFor])",
    )
    assert len(pairs) > 40
    for words, control_id in pairs:
        found = labelled(page, words).evaluate_all("(els) => els.map(e => e.id)")
        assert control_id in found, (words, control_id, found)
