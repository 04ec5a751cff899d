"""The erasure pages: supervisors only; the number travels by POST; a confirm step."""

from __future__ import annotations

import pytest

from leads.models import Lead
from privacy.models import PersonErasure
from tests.leads.factories import LeadListFactory

URL = "/privacy/erase/"


@pytest.fixture
def person(db):
    lead_list = LeadListFactory(name="Mumbai list", default_country="IN")
    return Lead.objects.create(
        lead_list=lead_list, phone="+919876512345", first_name="Asha", email="asha@example.in",
        custom_fields={"city": "Pune"},
    )  # fmt: skip


def test_a_search_shows_everything_held_and_erases_nothing(supervisor_client, person):
    page = supervisor_client.post(URL, {"step": "search", "phone": "98765 12345", "country": "IN"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mumbai list" in body and "asha@example.in" in body and "city: Pune" in body
    assert 'name="confirm"' in body
    person.refresh_from_db()
    assert person.first_name == "Asha"


def test_erasing_needs_the_confirm_box(supervisor_client, person):
    data = {"step": "erase", "phone": "+919876512345", "country": "", "email": ""}
    page = supervisor_client.post(URL, data)
    assert page.status_code == 400
    assert not PersonErasure.objects.exists()
    page = supervisor_client.post(URL, {**data, "confirm": "on", "dnc": "on"})
    erasure = PersonErasure.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/privacy/erasures/{erasure.pk}/"
    person.refresh_from_db()
    assert (person.phone, person.first_name, person.custom_fields) == ("", "", {})
    record = supervisor_client.get(page["Location"])
    assert record.status_code == 200
    body = record.content.decode()
    assert "leads.Lead" in body and "9876512345" not in body and "asha" not in body.lower()


def test_bad_input_gets_a_message_not_a_500(supervisor_client, db):
    page = supervisor_client.post(URL, {"step": "search", "phone": "12", "country": "IN"})
    assert page.status_code == 400
    assert "not a valid phone number" in page.content.decode()
    page = supervisor_client.post(URL, {"step": "search", "country": "XX"})
    assert page.status_code == 400
    page = supervisor_client.post(URL, {"step": "search"})
    assert "Give a phone number" in page.content.decode()


def test_nothing_found_says_so(supervisor_client, db):
    page = supervisor_client.post(URL, {"step": "search", "email": "nobody@example.in"})
    assert "Nothing: no lead" in page.content.decode()


def test_team_leads_may_not_erase(team_lead_client, person):
    assert team_lead_client.get(URL).status_code == 403
    data = {"step": "erase", "phone": "+919876512345", "confirm": "on"}
    assert team_lead_client.post(URL, data).status_code == 403
    assert not PersonErasure.objects.exists()


def test_the_audit_trail_page_shows_the_erasure_without_the_person(supervisor_client, person):
    data = {"step": "erase", "phone": "+919876512345", "confirm": "on"}
    supervisor_client.post(URL, data)
    erasure = PersonErasure.objects.get()
    page = supervisor_client.get("/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Erasure #{erasure.pk}" in body
    assert "9876512345" not in body and "asha" not in body.lower()
