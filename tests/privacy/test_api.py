"""The erasure API: search, erase, read the record; supervisors only; bad input is a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from leads.models import Lead
from privacy.models import PersonErasure
from tests.leads.factories import LeadListFactory


@pytest.fixture
def api(supervisor):
    client = APIClient()
    client.force_authenticate(supervisor)
    return client


@pytest.fixture
def lead(db):
    lead_list = LeadListFactory(default_country="IN")
    return Lead.objects.create(
        lead_list=lead_list, phone="+919876512345", email="asha@example.in", first_name="Asha"
    )


def test_search_then_erase_then_read(api, lead):
    found = api.post(
        "/api/v1/privacy/search/", {"phone": "98765 12345", "country": "IN"}, format="json"
    )
    assert found.status_code == 200
    assert [row["id"] for row in found.data["leads"]] == [lead.pk]
    assert found.data["leads"][0]["email"] == "asha@example.in"
    assert found.data["numbers"] == ["+919876512345"]

    erased = api.post(
        "/api/v1/privacy/erasures/", {"email": "ASHA@example.in", "dnc": True}, format="json"
    )
    assert erased.status_code == 201
    assert erased.data["state"] == "done"
    assert erased.data["searched_by"] == ["email"]
    assert erased.data["counts"]["leads.Lead"] == 1
    assert erased.data["dnc_listed"] is True
    lead.refresh_from_db()
    assert (lead.phone, lead.email, lead.first_name) == ("", "", "")

    record = api.get(f"/api/v1/privacy/erasures/{erased.data['id']}/")
    assert record.status_code == 200 and record.data["counts"] == erased.data["counts"]
    assert api.get("/api/v1/privacy/erasures/987654/").status_code == 404
    assert api.get(f"/api/v1/privacy/erasures/{2**70}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Give a phone number"),
        ({"phone": "12", "country": "IN"}, "not a valid phone number"),
        ({"email": "nobody"}, "not an e-mail address"),
        ({"phone": ["+919876512345"]}, "Not a valid string"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(api, db, body, message):
    for url in ("/api/v1/privacy/search/", "/api/v1/privacy/erasures/"):
        response = api.post(url, body, format="json")
        assert response.status_code == 400
        assert message in str(response.data)
    assert not PersonErasure.objects.exists()


def test_team_leads_may_neither_search_nor_erase(team_lead, lead):
    client = APIClient()
    client.force_authenticate(team_lead)
    assert client.post("/api/v1/privacy/search/", {"phone": "+919876512345"}).status_code == 403
    assert client.post("/api/v1/privacy/erasures/", {"phone": "+919876512345"}).status_code == 403
    lead.refresh_from_db()
    assert lead.first_name == "Asha"
