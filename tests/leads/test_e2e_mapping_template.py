"""Applying a saved mapping template in Chromium: a POST, swapped in by HTMX with
JavaScript on, a plain form post and redirect without it (issue 11: it was a GET)."""

import pytest

from leads.models import ImportJob, MappingTemplate
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by name
    _allow_orm_beside_playwright,
    _artifacts_on_failure,
    browser_type_launch_args,
    login,
    settle,
)
from tests.leads.factories import LeadListFactory
from tests.leads.helpers import upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting_job(team_lead):
    MappingTemplate.objects.create(
        name="Surname export", team=team_lead.team, columns={"a": "phone", "b": "last_name"}
    )
    lead_list = LeadListFactory(team=team_lead.team)
    return upload(lead_list, team_lead, "A,B\n212-555-0100,Lee\n")


def _apply_template(page) -> None:
    page.get_by_label("Apply a saved mapping").select_option(label="Surname export")
    page.get_by_role("button", name="Apply").click()


def test_a_template_is_applied_in_place_with_htmx(page, live_server, team_lead, waiting_job):
    login(page, live_server, team_lead)
    mapping_url = f"{live_server.url}/leads/imports/{waiting_job.pk}/mapping/"
    page.goto(mapping_url)
    assert page.locator("select[name=column_1]").input_value() != "last_name"
    page.evaluate("window.notReloaded = true")
    _apply_template(page)
    settle(page)
    assert page.locator("select[name=column_1]").input_value() == "last_name"
    assert page.evaluate("window.notReloaded === true")  # swapped, not a new page
    assert page.url == mapping_url
    assert ImportJob.objects.get().mapping == ["phone", "last_name"]


def test_a_template_is_applied_without_javascript(browser, live_server, team_lead, waiting_job):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, team_lead)
        page.goto(f"{live_server.url}/leads/imports/{waiting_job.pk}/mapping/")
        _apply_template(page)
        page.wait_for_url(f"{live_server.url}/leads/imports/{waiting_job.pk}/mapping/")
        assert page.locator("select[name=column_1]").input_value() == "last_name"
    finally:
        context.close()
