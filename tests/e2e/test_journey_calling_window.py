"""Journey (issue 13, point 5): the calling-window editor says what the window does.

A supervisor opens a new calling window: the rule in words and today's hours in the five
vendors' main zones show at once. Ticking "not on public holidays" and switching to a
fixed zone change the words as they are made (the form is not saved), the fixed-zone
field shows only with the fixed policy, and the saved window keeps both.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import CallingWindow
from tests.e2e.conftest import labelled, login, settle, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_window_editor_says_the_rule_and_todays_hours(page, live_server, supervisor):
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/calling-windows/new/")
    preview = page.locator("#window-preview")
    expect(preview.locator(".window-rule")).to_have_text(
        "Mon–Sun 08:00–21:00 in each lead's local time."
    )
    expect(preview.locator("tbody th")).to_have_text(
        ["New York", "Berlin", "Jerusalem", "Kolkata", "Kyiv"]
    )
    fixed_zone = page.locator("#field-fixed_timezone")
    expect(fixed_zone).to_be_hidden()

    labelled(page, "Name").fill("US TCPA")
    page.get_by_label("not on public holidays").check()
    settle(page)
    expect(preview.locator(".window-rule")).to_contain_text(
        "not on public holidays in the lead's country (and US state)"
    )
    labelled(page, "Timezone policy").select_option("fixed")
    expect(fixed_zone).to_be_visible()
    labelled(page, "Fixed timezone").fill("Europe/Berlin")
    labelled(page, "Fixed timezone").press("Tab")
    settle(page)
    expect(preview.locator(".window-rule")).to_contain_text("in Europe/Berlin")
    snap(page, "calling-window-01-editor-preview")
    assert not CallingWindow.objects.exists()  # the preview saves nothing

    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("saved")
    window = CallingWindow.objects.get(name="US TCPA")
    assert window.skip_public_holidays and window.fixed_timezone == "Europe/Berlin"
