"""The receiving endpoint: Ozonetel's dial-status export, asked for by a results pull and
delivered by the emulator to the URL the console gave, is filed on the leads; the same
delivery twice changes nothing; a bad secret is refused and logged; a bad body is a 400."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import pytest

from results.models import InboundEvent, LeadResult, ResultSource
from sync.models import CampaignRemote
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_pull_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.models import VendorAccount, VendorCall
from vendors.services import vendor_account_receiving_rotate, vendor_account_receiving_url


@pytest.fixture
def ozonetel(emulated_account, settings):
    # Pacing is not the subject here (tests/sync/test_results.py): a minute lasts a second,
    # so the bulk add's 5 a minute does not hold every fifth test back.
    settings.SYNC_RATE_LIMIT_TIME_SCALE = 60
    account, emulator = emulated_account("ozonetel")
    secret = vendor_account_receiving_rotate(account=account)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(5))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    emulator.process_queue(force=True)  # the V4 bulk rows are added asynchronously
    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    assert len(emulator.campaigns[remote_id].rows) == 5
    emulator.campaigns[remote_id].running = True
    assert emulator.simulate_dialling(3, campaign=remote_id) == 3
    results_pull_enqueue(campaign=campaign, reason="test")
    assert run_jobs() == ["done"]
    return account, emulator, campaign, secret


def _deliver(client, emulator, **extra):
    url, body = emulator.export_delivery(emulator.exports[-1]["uniqueId"])
    parts = urlsplit(url)
    return client.post(
        f"{parts.path}?{parts.query}", data=body, content_type="application/json", **extra
    )


def test_the_export_is_asked_for_with_the_receiving_url(ozonetel):
    account, emulator, campaign, secret = ozonetel
    [export] = emulator.exports
    assert export["callBackUrl"] == vendor_account_receiving_url(account=account, with_secret=True)
    assert (
        export["campaignName"]
        == CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    )
    # The secret travels in that URL, never into the call log.
    logged = VendorCall.objects.filter(operation="dial_status_export").get()
    assert secret not in logged.request_excerpt + logged.url
    assert not LeadResult.objects.exists()  # nothing until Ozonetel delivers


def test_a_delivery_is_filed_on_the_leads_as_the_emulator_dialled(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    reply = _deliver(client, emulator)
    assert reply.status_code == 200, reply.content
    truth = {
        d["phone"][-10:]: (d["dialstatus"], d["agent"])
        for d in emulator.dialled
        if d["campaign"] == emulator.exports[-1]["campaignName"]
    }
    rows = LeadResult.objects.filter(campaign=campaign).select_related("lead")
    assert {r.lead.phone[-10:]: (r.last_result_raw, r.agent) for r in rows} == truth
    assert {r.source for r in rows} == {ResultSource.CALLBACK}
    assert all(r.last_attempt_at is not None and r.attempts is None for r in rows)
    [event] = InboundEvent.objects.all()
    assert event.accepted and event.processed_at and event.event_id == "export-1"
    assert json.loads(event.body)["campaignName"] == emulator.exports[-1]["campaignName"]


def test_the_same_delivery_twice_changes_nothing(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    assert _deliver(client, emulator).status_code == 200
    before = list(LeadResult.objects.order_by("pk").values())
    again = _deliver(client, emulator)
    assert again.status_code == 200
    assert again.json()["message"] == "Already received."
    assert list(LeadResult.objects.order_by("pk").values()) == before
    assert InboundEvent.objects.filter(accepted=True).count() == 1


def test_a_bad_secret_is_refused_and_logged(client, ozonetel, caplog):
    account, emulator, campaign, secret = ozonetel
    url, body = emulator.export_delivery("export-1")
    path = urlsplit(url).path
    with caplog.at_level(logging.WARNING, logger="results.services"):
        wrong = client.post(f"{path}?secret=wrong", data=body, content_type="application/json")
        missing = client.post(path, data=body, content_type="application/json")
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert "bad secret" in caplog.text
    refused = InboundEvent.objects.filter(accepted=False)
    assert refused.count() == 2
    assert refused.first().error == "Refused: wrong or missing secret."
    assert not LeadResult.objects.exists()
    # The header is as good as the query.
    header = client.post(
        path, data=body, content_type="application/json", HTTP_X_CONSOLE_SECRET=secret
    )
    assert header.status_code == 200


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{not json", "it is not JSON"),
        (b"[1, 2]", "it is not a JSON object"),
        (b'{"campaignName": "x", "data": "rows"}', '"data" must be a list of rows'),
        (b'{"data": []}', '"campaignName" is missing'),
        (b'{"campaignName": "x", "data": [{"status": "Success"}]}', "have no PhoneNumber"),
    ],
)
def test_a_malformed_body_is_a_clear_400(client, ozonetel, body, words):
    account, emulator, campaign, secret = ozonetel
    path = urlsplit(vendor_account_receiving_url(account=account)).path
    reply = client.post(f"{path}?secret={secret}", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert words in reply.json()["message"]
    assert InboundEvent.objects.get().accepted is False


def test_too_large_unknown_endpoint_and_get_are_refused(client, ozonetel, settings):
    account, emulator, campaign, secret = ozonetel
    path = urlsplit(vendor_account_receiving_url(account=account)).path
    settings.RESULTS_RECEIVE_MAX_BYTES = 100
    big = client.post(f"{path}?secret={secret}", data=b"x" * 200, content_type="text/plain")
    assert big.status_code == 413
    assert (
        client.post(
            "/results/receive/nope/", data=b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(f"{path}?secret={secret}").status_code == 405


def test_rotating_makes_the_old_secret_fail(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    new_secret = vendor_account_receiving_rotate(account=account)
    account = VendorAccount.objects.get(pk=account.pk)
    assert new_secret != secret
    url, body = emulator.export_delivery("export-1")
    new_path = urlsplit(vendor_account_receiving_url(account=account)).path
    assert urlsplit(url).path != new_path
    assert _deliver(client, emulator).status_code == 404  # the old URL is gone
    reply = client.post(
        f"{new_path}?secret={new_secret}", data=body, content_type="application/json"
    )
    assert reply.status_code == 200


def test_the_emulator_hands_each_export_over_once(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    [(url, body)] = emulator.take_deliveries()
    assert emulator.take_deliveries() == []
    parts = urlsplit(url)
    reply = client.post(f"{parts.path}?{parts.query}", data=body, content_type="application/json")
    assert reply.status_code == 200
    assert LeadResult.objects.filter(campaign=campaign).count() == 3


def test_an_unreadable_length_is_refused_not_a_500(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    path = urlsplit(vendor_account_receiving_url(account=account)).path
    reply = client.post(
        f"{path}?secret={secret}", data=b"{}", content_type="application/json",
        HTTP_CONTENT_LENGTH="lots",
    )  # fmt: skip
    assert reply.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\xff{",
        b'{"campaignName": "x\\u0000", "data": []}',
        b'{"uniqueId": "\\u0000", "campaignName": "x", "data": []}',
    ],
)
def test_a_body_with_nul_or_bad_bytes_is_kept_and_answered(client, ozonetel, body):
    account, emulator, campaign, secret = ozonetel
    path = urlsplit(vendor_account_receiving_url(account=account)).path
    reply = client.post(f"{path}?secret={secret}", data=body, content_type="application/json")
    assert reply.status_code in (200, 400)
    assert InboundEvent.objects.count() == 1


def test_a_nul_in_a_row_is_dropped_not_a_500(client, ozonetel):
    account, emulator, campaign, secret = ozonetel
    url, body = emulator.export_delivery("export-1")
    data = json.loads(body)
    data["data"][0]["dialstatus"] = "answ\x00ered"
    data["data"][0]["AgentId"] = "ag\x00ent"
    parts = urlsplit(url)
    reply = client.post(
        f"{parts.path}?{parts.query}", data=json.dumps(data), content_type="application/json"
    )
    assert reply.status_code == 200
    assert LeadResult.objects.filter(last_result_raw="answered", agent="agent").count() == 1
