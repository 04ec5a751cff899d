"""The sandbox over Django (``/sandbox/<kind>/``) and the standalone server."""

from __future__ import annotations

import json
import threading
from http.server import ThreadingHTTPServer

import httpx
import pytest
from django.core.wsgi import get_wsgi_application

from tests.vendors.acefone.harness import campaign_spec
from tests.vendors.harness import load_harness, vendor_params
from vendors import sandbox
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.management.commands.vendor_sandbox import SandboxRequestHandler
from vendors.models import VendorCall
from vendors.services import vendor_account_save, vendor_account_test_connection, vendor_adapter

TOKEN = "sandbox-admin-token-for-tests"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {SANDBOX_CREDENTIALS['token']}"}


@pytest.fixture(autouse=True)
def fresh_sandbox(settings):
    settings.VENDOR_SANDBOX_ADMIN_TOKEN = TOKEN
    sandbox.sandbox_reset()
    yield
    sandbox.sandbox_reset()


def test_vendor_auth_errors_come_from_the_emulator(client):
    response = client.get("/sandbox/acefone/v1/broadcast/lists")
    assert response.status_code == 401
    assert response.json() == {
        "success": False,
        "message": "Unauthorized: invalid or expired token",
    }


# A WSGI request in-process ends with close_old_connections(), which closes a connection
# held inside a test's wrapping transaction: this test commits for real instead.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", vendor_params())
def test_each_vendor_sandbox_answers_a_wrong_secret_with_its_own_refusal(kind):
    """The URL walk skips /sandbox/: here each mounted emulator, reached through the
    Django views over WSGI, refuses the adapter's wrong credentials itself."""
    harness = load_harness(kind)
    account = vendor_account_save(
        account=None,
        name=f"{kind} through the sandbox",
        kind=kind,
        base_url=f"http://testserver/sandbox/{kind}",
        credentials=harness.wrong_credentials,
    )
    transport = httpx.WSGITransport(app=get_wsgi_application())
    result = vendor_account_test_connection(account=account, transport=transport)
    assert not result.ok, result.message
    # The emulator behind the sandbox answered (a refusal), not a transport failure.
    assert VendorCall.objects.filter(account=account).latest("at").status_code is not None


def test_state_survives_across_requests(client):
    body = {"field_0": "+919812345678", "duplicate_option": "skip"}
    response = client.post(
        "/sandbox/acefone/v1/broadcast/lead/101", json.dumps(body), "application/json", **AUTH
    )
    assert response.status_code == 200
    leads = client.get("/sandbox/acefone/v1/broadcast/leads/101", **AUTH).json()
    assert [lead["field_0"] for lead in leads] == ["+919812345678"]


def test_unknown_vendor_is_404(client):
    assert client.get("/sandbox/nobody/anything").status_code == 404


def test_fault_control_needs_the_admin_token(client):
    url = "/sandbox/acefone/_faults"
    body = json.dumps({"fault": "server_error"})
    assert client.post(url, body, "application/json").status_code == 403
    response = client.post(url, body, "application/json", HTTP_X_SANDBOX_TOKEN="wrong")
    assert response.status_code == 403
    assert sandbox.sandbox_emulator("acefone").faults == []


def test_fault_control_is_off_without_a_configured_token(client, settings):
    settings.VENDOR_SANDBOX_ADMIN_TOKEN = ""
    response = client.post(
        "/sandbox/acefone/_faults", "{}", "application/json", HTTP_X_SANDBOX_TOKEN=""
    )
    assert response.status_code == 403


def test_injected_fault_then_cleared(client):
    url = "/sandbox/acefone/_faults"
    headers = {"HTTP_X_SANDBOX_TOKEN": TOKEN}
    body = json.dumps({"fault": "rate_limited", "remaining": None, "retry_after": 7})
    assert client.post(url, body, "application/json", **headers).status_code == 201
    limited = client.get("/sandbox/acefone/v1/broadcast/lists", **AUTH)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "7"
    assert client.get(url, **headers).json()["faults"][0]["fault"] == "rate_limited"
    assert client.delete(url, **headers).status_code == 200
    assert client.get("/sandbox/acefone/v1/broadcast/lists", **AUTH).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"fault": "explode"}, "fault must be one of"),
        ({"fault": "slow", "delay_seconds": 600}, "delay_seconds must be between"),
        ({"fault": "server_error", "remaining": 0}, "remaining must be a positive integer"),
        ({"fault": "server_error", "probability": 2}, "probability must be"),
        ({"fault": "server_error", "colour": "red"}, "Unknown keys: colour"),
    ],
)
def test_bad_fault_requests_are_refused_clearly(client, body, message):
    response = client.post(
        "/sandbox/acefone/_faults", json.dumps(body), "application/json", HTTP_X_SANDBOX_TOKEN=TOKEN
    )
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert sandbox.sandbox_emulator("acefone").faults == []


def test_non_json_control_body_is_refused(client):
    response = client.post(
        "/sandbox/acefone/_faults", "nope", "text/plain", HTTP_X_SANDBOX_TOKEN=TOKEN
    )
    assert response.status_code == 400


def test_dial_control_shrinks_the_pending_list(client):
    emulator = sandbox.sandbox_emulator("acefone")
    client.post(
        "/sandbox/acefone/v1/broadcast/leads/101",
        json.dumps({"data": [{"field_0": f"+9198123456{n:02}"} for n in range(3)]}),
        "application/json",
        **AUTH,
    )
    assert emulator.pending(101) == 3
    response = client.post(
        "/sandbox/acefone/_dial", json.dumps({"count": 2}), "application/json",
        HTTP_X_SANDBOX_TOKEN=TOKEN,
    )  # fmt: skip
    assert response.json() == {"dialled": 2}
    assert emulator.pending(101) == 1


def test_timeout_fault_holds_past_the_client_timeout(monkeypatch, settings):
    settings.VENDOR_HTTP_TIMEOUT_SECONDS = 3
    slept = []
    monkeypatch.setattr(sandbox.time, "sleep", slept.append)
    sandbox.sandbox_emulator("acefone").inject("timeout")
    reply = sandbox.sandbox_answer(
        kind="acefone",
        mount="/sandbox/acefone",
        method="GET",
        url="http://testserver/sandbox/acefone/v1/broadcast/lists",
        headers={},
        body=b"",
    )
    assert reply.status == 504
    assert slept == [4.0]


@pytest.fixture
def standalone_server():
    SandboxRequestHandler.quiet = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), SandboxRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_standalone_server_serves_the_adapter_over_real_http(db, standalone_server):
    account = vendor_account_save(
        account=None,
        name="Acefone over HTTP",
        kind="acefone",
        base_url=f"{standalone_server}/sandbox/acefone",
        credentials=dict(SANDBOX_CREDENTIALS),
    )
    assert vendor_account_test_connection(account=account).ok
    ref = vendor_adapter(account=account).campaign_create(campaign_spec())
    assert ref.extra == {"list_id": "101"}
    call = VendorCall.objects.filter(operation="campaign_create").get()
    assert call.url == f"{standalone_server}/sandbox/acefone/v1/dialer/campaign"


def test_standalone_server_fault_control(standalone_server):
    url = f"{standalone_server}/sandbox/acefone/_faults"
    refused = httpx.post(url, json={"fault": "server_error"})
    assert refused.status_code == 403
    accepted = httpx.post(url, json={"fault": "server_error"}, headers={"X-Sandbox-Token": TOKEN})
    assert accepted.status_code == 201
    failed = httpx.get(
        f"{standalone_server}/sandbox/acefone/v1/broadcast/lists",
        headers={"Authorization": f"Bearer {SANDBOX_CREDENTIALS['token']}"},
    )
    assert failed.status_code == 503
    assert httpx.get(f"{standalone_server}/elsewhere").status_code == 404
