"""Pressing Enter in a field of the campaign form saves it, as in any form: the rows'
"More rows" and a select's "Refresh" buttons come first in the form, and used to be the
button Enter pressed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.e2e.conftest import labelled, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enter_in_the_name_saves_the_campaign(page, live_server, supervisor):
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    form = page.locator("#campaign-form")
    labelled(form, "Name").fill("Saved by Enter")
    labelled(form, "Name").press("Enter")
    expect(page.locator("#messages")).to_contain_text("saved")
    assert Campaign.objects.filter(name="Saved by Enter").exists()
