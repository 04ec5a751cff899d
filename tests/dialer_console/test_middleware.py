"""A 404 in debug mode (the quick start) is the branded page, never Django's technical
page that lists the console's URL patterns."""

import pytest
from django.urls import reverse

from tests.leads.factories import LeadListFactory


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_another_teams_list_is_the_branded_404_in_debug(debug_on, team_lead_client):
    foreign = LeadListFactory()  # a list of another team
    response = team_lead_client.get(reverse("leads:detail", args=[foreign.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "404 · Not found" in body
    assert "DEBUG = True" not in body
    assert "URLconf" not in body


def test_an_unknown_address_is_the_branded_404_in_debug(debug_on, supervisor_client):
    response = supervisor_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404 · Not found" in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_api_404_stays_json_in_debug(debug_on, supervisor_client):
    response = supervisor_client.get("/api/v1/campaigns/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
