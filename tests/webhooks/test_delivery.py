"""Deliveries: signed, retried with the outbox's backoff, refused by the egress rules,
replayed; what each event carries and who receives it."""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from dialer_console.errors import ApplicationError
from results.models import ResultSource
from sync.models import JobState, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.results import results_store
from tests.webhooks.helpers import CRM, campaign_with_lead, endpoint_for, record, run_jobs
from vendors.adapters.types import DialResult
from webhooks.models import DeliveryState, EventType, WebhookDelivery, WebhookEvent
from webhooks.services.endpoints import webhook_endpoint_update
from webhooks.services.events import webhook_delivery_replay
from webhooks.signing import signature_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm():
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post(CRM)


def _deliveries():
    return list(WebhookDelivery.objects.order_by("pk").select_related("event"))


def test_a_delivery_is_signed_so_the_receiver_can_verify_it(team, crm):
    endpoint, secret = endpoint_for(team)
    crm.mock(return_value=httpx.Response(200, json={"ok": True}))
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead, "SALE")
    assert run_jobs() == ["done", "done"]  # disposition.recorded and outcome.recorded

    request = crm.calls[0].request
    header = request.headers["X-Console-Signature"]
    assert header.startswith("t=") and ",v1=" in header
    assert signature_verify(secret=secret, header=header, body=request.content)
    assert not signature_verify(secret=secret + "x", header=header, body=request.content)
    assert not signature_verify(secret=secret, header=header, body=request.content + b" ")
    too_late = time.time() + 301
    assert not signature_verify(secret=secret, header=header, body=request.content, now=too_late)
    body = json.loads(request.content)
    event = WebhookEvent.objects.get(event_id=request.headers["X-Console-Event-Id"])
    assert body["id"] == event.event_id and body["type"] == event.type
    assert request.headers["X-Console-Event-Type"] == event.type
    types = {json.loads(call.request.content)["type"] for call in crm.calls}
    assert types == {EventType.DISPOSITION_RECORDED, EventType.OUTCOME_RECORDED}
    disposition = next(
        json.loads(c.request.content) for c in crm.calls if "disposition" in c.request.headers[
            "X-Console-Event-Type"]
    )  # fmt: skip
    assert disposition["data"]["code"] == "SALE"
    assert disposition["data"]["lead"] == {
        "id": lead.pk, "phone": lead.phone, "lead_list": lead.lead_list_id,
    }  # fmt: skip
    assert [d.state for d in _deliveries()] == [DeliveryState.DELIVERED] * 2
    assert all(d.status_code == 200 and d.attempts == 1 for d in _deliveries())
    assert endpoint.deliveries.count() == 2


def test_5xx_and_timeouts_are_retried_with_backoff_until_delivered(
    team, crm, published, django_capture_on_commit_callbacks
):
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    crm.mock(
        side_effect=[
            httpx.Response(503, text="down for maintenance"),
            httpx.ReadTimeout("slow"),
            httpx.Response(204),
        ]
    )
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    delivery = _deliveries()[0]
    job = SyncJob.objects.get(pk=delivery.job_id)
    assert job.operation == Operation.WEBHOOK_DELIVERY and job.account_id is None

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs(limit=1, drain=False) == ["retrying"]
    delivery.refresh_from_db()
    job.refresh_from_db()
    assert delivery.state == DeliveryState.RETRYING and delivery.status_code == 503
    assert delivery.response_excerpt == "down for maintenance"
    assert "HTTP 503" in delivery.error and "attempt 1 of 8" in delivery.error
    assert job.state == JobState.PENDING and job.attempts == 1
    assert job.not_before > before  # backed off, not run again at once
    assert published[-1][1] > 0  # handed to Celery with a countdown

    assert run_jobs(limit=1, drain=False) == ["retrying"]
    delivery.refresh_from_db()
    assert delivery.status_code is None and "No answer within" in delivery.error
    assert run_jobs() == ["done"]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    assert delivery.status_code == 204 and delivery.error == ""
    assert len(crm.calls) == 3
    # The same event id on every attempt: the receiver dedupes on it.
    assert len({call.request.headers["X-Console-Event-Id"] for call in crm.calls}) == 1


def test_attempts_are_limited(team, crm, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    crm.mock(return_value=httpx.Response(500))
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert run_jobs() == ["retrying", "retrying", "failed"]
    delivery = _deliveries()[0]
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 3
    assert delivery.error.startswith("Gave up after 3 attempts")
    assert SyncJob.objects.get(pk=delivery.job_id).state == JobState.FAILED


def test_a_4xx_is_not_retried(team, crm):
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    crm.mock(return_value=httpx.Response(401, json={"error": "bad signature"}))
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert run_jobs() == ["failed"]
    delivery = _deliveries()[0]
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert "HTTP 401" in delivery.error and "replay" in delivery.error
    assert json.loads(delivery.response_excerpt) == {"error": "bad signature"}


def test_a_host_that_turned_private_is_refused_at_delivery(team, crm, dns):
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    dns["crm.example.com"] = ["10.0.0.7"]  # DNS changed after the endpoint was saved
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert run_jobs() == ["failed"]
    delivery = _deliveries()[0]
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 0
    assert "private or local address" in delivery.error
    assert "VENDOR_ALLOWED_PRIVATE_HOSTS" in delivery.error
    assert not crm.called


def test_the_vendor_setting_that_allows_a_private_host_allows_it_for_webhooks(
    team, crm, dns, settings
):
    dns["crm.example.com"] = ["10.0.0.7"]
    with pytest.raises(ApplicationError, match="private or local"):
        endpoint_for(team)
    settings.VENDOR_ALLOWED_PRIVATE_HOSTS = ["10.0.0.0/8"]
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    crm.mock(return_value=httpx.Response(200))
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert run_jobs() == ["done"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://crm.example.com/hook", "https://"),
        ("https://127.0.0.1/hook", "private or local"),
        ("https://169.254.169.254/latest/meta-data", "private or local"),
        ("https://[::1]/hook", "private or local"),
        ("https://localhost/hook", "private or local"),
        ("https://user:pw@crm.example.com/hook", "no user name or password"),
        ("https:///hook", "no host"),
    ],
)
def test_refused_urls_at_save(team, url, words):
    with pytest.raises(ApplicationError, match=words):
        endpoint_for(team, url=url)
    endpoint, _ = endpoint_for(team)
    with pytest.raises(ApplicationError, match=words):
        webhook_endpoint_update(endpoint=endpoint, url=url)


def test_replay_sends_the_same_event_again_as_a_new_delivery(team, crm):
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    crm.mock(side_effect=[httpx.Response(400), httpx.Response(200)])
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert run_jobs() == ["failed"]
    first = _deliveries()[0]
    replay = webhook_delivery_replay(delivery=first)
    assert replay.pk != first.pk and replay.event_id == first.event_id
    assert replay.replay_of_id == first.pk and replay.state == DeliveryState.PENDING
    assert run_jobs() == ["done"]
    replay.refresh_from_db()
    assert replay.state == DeliveryState.DELIVERED
    first.refresh_from_db()
    assert first.state == DeliveryState.FAILED  # the log keeps what happened
    sent = [call.request for call in crm.calls]
    assert sent[0].content == sent[1].content
    assert sent[0].headers["X-Console-Event-Id"] == sent[1].headers["X-Console-Event-Id"]
    assert sent[0].headers["X-Console-Delivery-Id"] != sent[1].headers["X-Console-Delivery-Id"]


def test_an_endpoint_switched_off_sends_nothing_more(team, crm):
    endpoint, _ = endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    webhook_endpoint_update(endpoint=endpoint, active=False)
    assert run_jobs() == ["done"]
    delivery = _deliveries()[0]
    assert delivery.state == DeliveryState.SKIPPED and not crm.called
    with pytest.raises(ApplicationError, match="switched off"):
        webhook_delivery_replay(delivery=delivery)
    other_lead = campaign.lead_lists.get().leads.create(phone="+12125550111")
    record(campaign, other_lead)
    assert WebhookEvent.objects.count() == 1  # no event for an endpoint that is off


def test_only_the_team_owning_the_lead_and_the_chosen_events_are_sent(team, other_team, crm):
    ours, _ = endpoint_for(team, events=[EventType.OUTCOME_RECORDED])
    theirs, _ = endpoint_for(other_team, url="https://other.example.com/hook")
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    assert [(d.endpoint_id, d.event.type) for d in _deliveries()] == [
        (ours.pk, EventType.OUTCOME_RECORDED)
    ]
    assert not theirs.deliveries.exists()


def test_dialer_results_become_outcome_events_once(team, crm):
    endpoint, _ = endpoint_for(team, events=[EventType.OUTCOME_RECORDED])
    campaign, lead = campaign_with_lead(team)
    LeadSync.objects.create(
        campaign=campaign, lead=lead, state=LeadSyncState.PUSHED, remote_id="r-1",
        pushed_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    at = timezone.now().replace(microsecond=0)
    result = DialResult(
        remote_id="r-1", result_raw="BUSY", outcome="NA", attempts=2, last_attempt_at=at
    )
    results_store(campaign=campaign, results=[result], source=ResultSource.PULL)
    results_store(campaign=campaign, results=[result], source=ResultSource.PULL)  # unchanged
    events = list(WebhookEvent.objects.all())
    assert len(events) == 1
    data = events[0].data
    assert data["source"] == "dialer" and data["result_raw"] == "BUSY"
    assert data["result_code"] == "NA" and data["attempts"] == 2
    assert data["lead"]["id"] == lead.pk and data["campaign"]["id"] == campaign.pk
    assert endpoint.deliveries.count() == 1


def test_an_import_finished_event_carries_its_counts(team, crm, lead_of_team):
    from tests.leads.factories import LeadListFactory
    from tests.leads.helpers import run_import

    endpoint_for(team, events=[EventType.IMPORT_FINISHED])
    lead_list = LeadListFactory(team=team)
    job = run_import(lead_list, lead_of_team, "phone\n+12125550101\n+12125550102\nnope\n")
    event = WebhookEvent.objects.get()
    assert event.type == EventType.IMPORT_FINISHED
    assert event.data["import"]["id"] == job.pk
    assert event.data["imported"] == job.imported_count == 2
    assert event.data["invalid_phone"] == job.invalid_phone_count


def test_an_event_is_written_in_the_transaction_of_the_change(team, crm):
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    campaign, lead = campaign_with_lead(team)
    with pytest.raises(ApplicationError):
        record(campaign, lead, "NO-SUCH-CODE")
    assert not WebhookEvent.objects.exists() and not SyncJob.objects.exists()


def test_the_secret_is_never_logged_nor_kept_in_the_log(team, crm, caplog):
    _, secret = endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])

    def echo(request):
        # A receiver that echoes what it got: the signature and the secret come back.
        text = f"got {request.headers['X-Console-Signature']} with key={secret}"
        return httpx.Response(500, text=text)

    crm.mock(side_effect=echo)
    campaign, lead = campaign_with_lead(team)
    record(campaign, lead)
    with caplog.at_level(logging.DEBUG):
        run_jobs(limit=1, drain=False)
    delivery = _deliveries()[0]
    signature = crm.calls[0].request.headers["X-Console-Signature"]
    assert secret not in delivery.response_excerpt
    assert signature.split("v1=")[1] not in delivery.response_excerpt
    assert "[redacted]" in delivery.response_excerpt
    assert secret not in caplog.text and signature.split("v1=")[1] not in caplog.text
    job = SyncJob.objects.get(pk=delivery.job_id)
    assert secret not in json.dumps(job.payload) + job.last_error + job.reason


def test_old_finished_deliveries_are_pruned_and_waiting_ones_kept(team, settings):
    from webhooks.services.events import webhook_log_prune

    settings.WEBHOOK_RETENTION_DAYS = 30
    endpoint_for(team, events=[EventType.DISPOSITION_RECORDED])
    campaign, lead = campaign_with_lead(team)
    for _ in range(3):
        record(campaign, lead)
    old, waiting, recent = _deliveries()
    long_ago = timezone.now() - timedelta(days=31)
    WebhookDelivery.objects.filter(pk=old.pk).update(state="delivered", created_at=long_ago)
    WebhookDelivery.objects.filter(pk=waiting.pk).update(state="retrying", created_at=long_ago)
    WebhookEvent.objects.filter(pk__in=[old.event_id, waiting.event_id]).update(created_at=long_ago)
    assert webhook_log_prune() == 1
    assert [d.pk for d in _deliveries()] == [waiting.pk, recent.pk]
    assert not WebhookEvent.objects.filter(pk=old.event_id).exists()
    assert WebhookEvent.objects.filter(pk=waiting.event_id).exists()
