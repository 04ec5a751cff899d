"""Journey: type and click at once in every row widget of the campaign form (#12).

Inline validation used to re-render a field's whole row widget on ``change``: typing an
Acefone list id and then clicking its *Active* switch left the switch off (the answer to
the first change replaced it, and htmx dropped the second). Now only the field's feedback
is swapped. The server is slowed here, so the second event always lands while the first
answer is on its way: the race happens every time, not by luck.

Every RowsField of the five vendors' fieldsets (Voicenter and jtel have none) and the
campaign's own multi-value widgets (lead lists, agents) are raced; then the error summary
of a failed save.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from campaigns.forms import CampaignEditor
from campaigns.models import Campaign
from tests.campaigns.factories import AgentFactory
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, labelled, login, sandbox_account, settle, snap
from tests.leads.factories import LeadListFactory
from vendors.sandbox import sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VALIDATION_DELAY_S = 0.6

# (vendor, field, what is typed: (column, text), then at once either a switch column
# clicked or a second column typed into)
ROW_WIDGETS = [
    ("acefone", "lead_list_map", ("list_id", "104"), ("list_status", None)),
    ("webitel", "resources", ("dialledNumber", "+4930123456"), ("enabled", None)),
    ("webitel", "variables", ("key", "region"), ("value", "north")),
    ("webitel", "communications", ("type_name", "Mobile"), ("type_code", "mobile")),
]


@pytest.fixture
def slow_validation(monkeypatch):
    """Inline validation answers only after a while (the live server runs in this
    process, so the patch reaches it)."""

    class SlowEditor(CampaignEditor):
        def slot(self, html_name):
            time.sleep(VALIDATION_DELAY_S)
            return super().slot(html_name)

    monkeypatch.setattr("campaigns.views.campaigns.CampaignEditor", SlowEditor)


def _first_blank_row(widget) -> int:
    total = int(widget.locator('input[type="hidden"][name$="-TOTAL"]').input_value())
    return total - 2  # the two blank rows come last


def _cell(page, field: str, row: int, column: str):
    return page.locator(f'[name="vendor-{field}-{row}-{column}"]')


def _enter(cell, text: str) -> None:
    """Type into a text cell, or choose in a cell the dialer fills (Acefone's list ids are
    a select of the lists its API returns)."""
    if cell.evaluate("node => node.tagName") == "SELECT":
        cell.select_option(text)
    else:
        cell.fill(text)


def _acefone_list_on_the_dialer(list_id: int) -> None:
    with sandbox_state("acefone") as emulator:
        emulator._list(list_id)


@pytest.mark.parametrize(
    ("kind", "field", "typed", "then"), ROW_WIDGETS, ids=[w[1] for w in ROW_WIDGETS]
)
def test_type_and_click_at_once_in_a_vendor_row_widget(
    page, live_server, e2e_sandbox, supervisor, slow_validation, kind, field, typed, then
):
    account = sandbox_account(e2e_sandbox, kind)
    campaign = campaign_on(
        account, name=f"Race {field}", settings=VALID_SETTINGS[kind], acting_user=supervisor
    )
    if kind == "acefone":
        _acefone_list_on_the_dialer(int(typed[1]))
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/edit/")
    widget = page.locator(f"#field-vendor-{field}")
    row = _first_blank_row(widget)
    first = _cell(page, field, row, typed[0])
    second = _cell(page, field, row, then[0])

    _enter(first, typed[1])
    if then[1] is None:
        second.click()  # blurs the first cell: its change and this click race
    else:
        second.fill(then[1])
        second.press("Tab")
    settle(page)

    expect(first).to_have_value(typed[1])
    if then[1] is None:
        expect(second).to_be_checked()
    else:
        expect(second).to_have_value(then[1])
    # Both changes were validated; neither answer replaced the row widget.
    expect(widget.locator(".field-feedback")).to_have_count(1)
    snap(page, f"h12form-race-{kind}-{field}")


def test_the_acefone_lead_list_switch_clicked_while_typing_is_saved_on(
    page, live_server, e2e_sandbox, supervisor, slow_validation
):
    account = sandbox_account(e2e_sandbox, "acefone")
    campaign = campaign_on(
        account, name="Acefone race", settings=VALID_SETTINGS["acefone"], acting_user=supervisor
    )
    # A caller ID the console's check takes, and Preview (given its duration below).
    Campaign.objects.filter(pk=campaign.pk).update(caller_id="+918045678900", dial_method="preview")
    _acefone_list_on_the_dialer(104)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/edit/")
    page.locator('[name="vendor-auto_dial_duration"]').fill("15")
    row = _first_blank_row(page.locator("#field-vendor-lead_list_map"))
    _enter(_cell(page, "lead_list_map", row, "list_id"), "104")
    _cell(page, "lead_list_map", row, "list_status").click()
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("saved.")
    campaign.refresh_from_db()
    assert campaign.vendor_settings["lead_list_map"] == [{"list_id": 104, "list_status": 1}]


def test_type_and_click_at_once_in_the_campaigns_own_widgets(
    page, live_server, e2e_sandbox, supervisor, slow_validation
):
    lead_list = LeadListFactory(name="Race list", team=None)
    AgentFactory(name="Asha Rao")
    AgentFactory(name="Ben Ito")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    labelled(page, "Name").fill("Own widgets race")

    # A lead list chosen, and its Active switch (on by default) clicked off at once.
    chosen = page.locator('[name="lead_lists-0-lead_list"]')
    active = page.locator('[name="lead_lists-0-active"]')
    expect(active).to_be_checked()
    chosen.select_option(label="Race list")
    active.click()
    # Two agents ticked at once.
    page.get_by_label("Asha Rao").check()
    page.get_by_label("Ben Ito").check()
    settle(page)

    expect(chosen).to_have_value(str(lead_list.pk))
    expect(active).not_to_be_checked()
    expect(page.get_by_label("Asha Rao")).to_be_checked()
    expect(page.get_by_label("Ben Ito")).to_be_checked()
    snap(page, "h12form-race-campaign-widgets")
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved.")
    campaign = Campaign.objects.get(name="Own widgets race")
    assert [agent.name for agent in campaign.agents.order_by("name")] == ["Asha Rao", "Ben Ito"]
    assert list(campaign.list_links.values_list("lead_list", "active")) == [(lead_list.pk, False)]


def test_a_failed_save_shows_a_summary_whose_links_focus_each_field(
    page, live_server, e2e_sandbox, supervisor
):
    sandbox_account(e2e_sandbox, "acefone", "Acefone summary")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    labelled(page, "Name").fill("Summary")
    labelled(page, "Caller ID").fill("hello")
    page.locator("#id_ring_timeout_seconds").fill("0")
    labelled(page, "Vendor account").select_option(label="Acefone summary (Acefone)")
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Acefone settings")
    settle(page)
    labelled(vendor, "Dial status").fill("WHATEVER")
    labelled(vendor, "Dial status").press("Tab")
    settle(page)
    # Inline, before any save. (Acefone's outbound caller ID is the campaign's caller ID,
    # shown read-only there with the campaign field's error.)
    expect(page.locator("#id_vendor-dial_status_error")).to_contain_text(
        "Unknown dial status “WHATEVER”"
    )
    expect(labelled(vendor, "Dial status")).to_have_attribute("aria-invalid", "true")

    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    links = summary.get_by_role("link")
    expect(links.filter(has_text=re.compile(r"^Caller ID:"))).to_have_count(1)
    expect(links.filter(has_text=re.compile(r"^Ring timeout"))).to_have_count(1)
    expect(links.filter(has_text="Acefone Dial status")).to_have_count(1)
    snap(page, "h12form-error-summary")
    # Each invalid control is described by its messages (no dangling id).
    described = page.locator("#id_ring_timeout_seconds").get_attribute("aria-describedby")
    assert "id_ring_timeout_seconds_error" in described.split()
    for element_id in described.split():
        expect(page.locator(f"#{element_id}")).to_have_count(1)
    expect(page.locator("#id_ring_timeout_seconds_error")).to_have_text("Enter 15 to 120 seconds.")

    links.filter(has_text="Acefone Dial status").click()
    expect(labelled(vendor, "Dial status")).to_be_focused()
    links.filter(has_text=re.compile(r"^Ring timeout")).click()
    expect(page.locator("#id_ring_timeout_seconds")).to_be_focused()
    snap(page, "h12form-error-summary-link-focused")
