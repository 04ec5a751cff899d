"""The pages and the API: the secret shown once, team isolation, Replay, clear refusals."""

from __future__ import annotations

import re

import pytest

from tests.accounts.factories import UserFactory
from tests.webhooks.helpers import CRM, campaign_with_lead, endpoint_for, record
from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _secret_in(html: str) -> str:
    found = re.search(r"data-webhook-secret>([^<]+)<", html)
    return found.group(1) if found else ""


def test_the_secret_is_shown_once_on_creation_and_on_rotation(supervisor_client, team):
    page = supervisor_client.post(
        "/webhooks/new/",
        {"url": CRM, "team": team.pk, "events": [EventType.OUTCOME_RECORDED], "active": "on"},
    )
    assert page.status_code == 200
    secret = _secret_in(page.content.decode())
    assert secret.startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    assert secret not in endpoint.secret_encrypted  # encrypted at rest
    detail = supervisor_client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in detail and not _secret_in(detail)
    assert secret not in supervisor_client.get("/webhooks/").content.decode()
    api = supervisor_client.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/")
    assert secret not in api.content.decode() and "secret_encrypted" not in api.json()
    rotated = supervisor_client.post(f"/webhooks/{endpoint.pk}/secret/")
    new_secret = _secret_in(rotated.content.decode())
    assert new_secret and new_secret != secret
    admin_page = supervisor_client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert new_secret not in admin_page.content.decode()


def test_a_refused_url_is_a_form_error_not_a_500(supervisor_client, team):
    page = supervisor_client.post(
        "/webhooks/new/",
        {"url": "https://127.0.0.1/hook", "team": team.pk, "events": [EventType.OUTCOME_RECORDED]},
    )
    assert page.status_code == 200
    assert "private or local address" in page.content.decode()
    page = supervisor_client.post(
        "/webhooks/new/",
        {"url": "http://crm.example.com/", "team": team.pk, "events": [EventType.OUTCOME_RECORDED]},
    )
    assert "https://" in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_api_makes_an_endpoint_and_answers_its_secret_once(api_client, supervisor, team):
    api_client.force_authenticate(supervisor)
    made = api_client.post(
        "/api/v1/webhooks/endpoints/",
        {"team": team.pk, "url": CRM, "events": ["import.finished"]},
        format="json",
    )
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    assert secret.startswith("whsec_")
    listed = api_client.get("/api/v1/webhooks/endpoints/")
    assert listed.status_code == 200 and secret not in listed.content.decode()
    assert [row["url"] for row in listed.json()["results"]] == [CRM]
    pk = made.json()["id"]
    changed = api_client.patch(
        f"/api/v1/webhooks/endpoints/{pk}/", {"url": "https://10.1.2.3/x"}, format="json"
    )
    assert changed.status_code == 400 and "private or local" in changed.content.decode()
    bad_event = api_client.patch(
        f"/api/v1/webhooks/endpoints/{pk}/", {"events": ["lead.eaten"]}, format="json"
    )
    assert bad_event.status_code == 400
    rotated = api_client.post(f"/api/v1/webhooks/endpoints/{pk}/secret/")
    assert rotated.status_code == 200 and rotated.json()["secret"] != secret
    assert api_client.delete(f"/api/v1/webhooks/endpoints/{pk}/").status_code == 204


def test_deliveries_list_and_replay_through_the_api(api_client, supervisor, team):
    endpoint, secret = endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    api_client.force_authenticate(supervisor)
    listed = api_client.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["event_type"] for row in rows] == [EventType.DISPOSITION_RECORDED]
    replayed = api_client.post(f"/api/v1/webhooks/deliveries/{rows[0]['id']}/replay/")
    assert replayed.status_code == 202
    assert replayed.json()["event_id"] == rows[0]["event_id"]
    assert WebhookDelivery.objects.count() == 2
    assert secret not in listed.content.decode() + replayed.content.decode()


def test_a_team_lead_sees_only_their_teams_endpoints_and_cannot_change_them(
    client, team, other_team, lead_of_team
):
    ours, _ = endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    theirs, _ = endpoint_for(other_team, url="https://other.example.com/hook")
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    delivery = ours.deliveries.get()
    client.force_login(lead_of_team)
    listing = client.get("/webhooks/").content.decode()
    assert ours.url in listing and theirs.url not in listing
    page = client.get(f"/webhooks/{ours.pk}/")
    assert page.status_code == 200 and f'data-delivery="{delivery.pk}"' in page.content.decode()
    assert "Replay" not in page.content.decode()  # supervisors replay
    assert client.get(f"/webhooks/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/webhooks/endpoints/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/webhooks/endpoints/{theirs.pk}/deliveries/").status_code == 404
    api_rows = client.get("/api/v1/webhooks/endpoints/").json()["results"]
    assert [row["id"] for row in api_rows] == [ours.pk]
    assert client.post(f"/webhooks/deliveries/{delivery.pk}/replay/").status_code == 403


def test_the_delivery_log_shows_what_happened_and_replays(supervisor_client, team):
    endpoint, _ = endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    delivery = endpoint.deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state="failed", status_code=502, attempts=8, duration_ms=1234,
        response_excerpt="bad gateway", error="Gave up after 8 attempts.",
    )  # fmt: skip
    html = supervisor_client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    for shown in ("502", "1,234 ms", "bad gateway", "Gave up after 8 attempts.", "Replay"):
        assert shown in html
    answer = supervisor_client.post(f"/webhooks/deliveries/{delivery.pk}/replay/", follow=True)
    assert "queued again" in answer.content.decode()
    assert endpoint.deliveries.filter(replay_of=delivery).count() == 1
    other = UserFactory(role="Team lead", with_team=True)
    supervisor_client.force_login(other)
    assert supervisor_client.get(f"/webhooks/{endpoint.pk}/").status_code == 404
