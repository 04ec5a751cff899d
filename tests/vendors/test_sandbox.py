"""The sandbox over Django (``/sandbox/<kind>/``) and the standalone server."""

from __future__ import annotations

import collections
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from django.core.wsgi import get_wsgi_application

from tests.vendors.acefone.harness import campaign_spec
from tests.vendors.harness import load_harness, vendor_params
from vendors import sandbox, sandbox_state
from vendors.adapters import emulation
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.adapters.errors import VendorRemoteIdUnknown
from vendors.adapters.webitel import emulator as webitel_emulator
from vendors.adapters.webitel import payloads as webitel_payloads
from vendors.management.commands.vendor_sandbox import SandboxRequestHandler
from vendors.models import VendorCall
from vendors.services import vendor_account_save, vendor_account_test_connection, vendor_adapter

TOKEN = "sandbox-admin-token-for-tests"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {SANDBOX_CREDENTIALS['token']}"}


@pytest.fixture(autouse=True)
def fresh_sandbox(settings, db):
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
    client.post(
        "/sandbox/acefone/v1/broadcast/leads/101",
        json.dumps({"data": [{"field_0": f"+9198123456{n:02}"} for n in range(3)]}),
        "application/json",
        **AUTH,
    )
    assert sandbox.sandbox_emulator("acefone").pending(101) == 3
    response = client.post(
        "/sandbox/acefone/_dial", json.dumps({"count": 2}), "application/json",
        HTTP_X_SANDBOX_TOKEN=TOKEN,
    )  # fmt: skip
    assert response.json() == {"dialled": 2}
    assert sandbox.sandbox_emulator("acefone").pending(101) == 1


def test_timeout_fault_holds_past_the_client_timeout(monkeypatch, settings):
    settings.VENDOR_HTTP_TIMEOUT_SECONDS = 3
    slept = []
    monkeypatch.setattr(sandbox.time, "sleep", slept.append)
    with sandbox.sandbox_state("acefone") as emulator:
        emulator.inject("timeout")
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


# The server's threads write the shared state through their own connections.
@pytest.mark.django_db(transaction=True)
def test_standalone_server_serves_the_adapter_over_real_http(standalone_server):
    account = vendor_account_save(
        account=None,
        name="Acefone over HTTP",
        kind="acefone",
        base_url=f"{standalone_server}/sandbox/acefone",
        credentials=dict(SANDBOX_CREDENTIALS),
    )
    assert vendor_account_test_connection(account=account).ok
    # The sandbox answers the documented {success, message}: the campaign is created and
    # its id is unknown, never a failure that would create it again.
    with pytest.raises(VendorRemoteIdUnknown) as caught:
        vendor_adapter(account=account).campaign_create(campaign_spec())
    assert caught.value.extra == {"list_id": "101"}
    call = VendorCall.objects.filter(operation="campaign_create").get()
    assert call.url == f"{standalone_server}/sandbox/acefone/v1/dialer/campaign"


@pytest.mark.django_db(transaction=True)
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


@pytest.fixture
def web_process(monkeypatch):
    """Switch between two simulated web processes (gunicorn workers): each keeps its own
    emulators, as a process does; only the database is shared."""
    processes = [({}, {}), ({}, {})]

    def switch(index: int) -> None:
        emulators, revisions = processes[index]
        monkeypatch.setattr(sandbox_state, "_emulators", emulators)
        monkeypatch.setattr(sandbox_state, "_revisions", revisions)

    return switch


WEBITEL = {
    "HTTP_X_ACCESS_TOKEN": webitel_emulator.SANDBOX_CREDENTIALS["token"],
    "HTTP_X_KEY": webitel_emulator.SANDBOX_CREDENTIALS["key"],
}


def _webitel_dialer_create(client, name: str) -> str:
    calendar_id, calendar_name = webitel_emulator.EXAMPLE_CALENDAR
    body = {
        "name": name,
        "type": webitel_payloads.DIALER_TYPES[0],
        "calendar": {"id": calendar_id, "name": calendar_name},
    }
    response = client.post(
        "/sandbox/webitel/api/v2/dialer", json.dumps(body), "application/json", **WEBITEL
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["insertedIds"][0]


def test_web_processes_share_the_dialers_and_never_reuse_an_id(client, web_process):
    created = []
    for number in range(6):
        web_process(number % 2)
        created.append(_webitel_dialer_create(client, f"campaign {number}"))
    assert len(set(created)) == 6
    for index in (0, 1):
        web_process(index)
        listed = client.get("/sandbox/webitel/api/v2/dialer?limit=40", **WEBITEL).json()["data"]
        assert [dialer["_id"] for dialer in listed] == created
        for dialer_id in created:
            found = client.get(f"/sandbox/webitel/api/v2/dialer/{dialer_id}", **WEBITEL)
            assert found.status_code == 200


def test_faults_and_dialling_reach_every_web_process(client, web_process):
    web_process(0)
    body = json.dumps({"fault": "server_error", "remaining": 2})
    injected = client.post("/sandbox/acefone/_faults", body, "application/json",
                           HTTP_X_SANDBOX_TOKEN=TOKEN)  # fmt: skip
    assert injected.status_code == 201
    web_process(1)
    assert client.get("/sandbox/acefone/v1/broadcast/lists", **AUTH).status_code == 503
    web_process(0)
    assert client.get("/sandbox/acefone/v1/broadcast/lists", **AUTH).status_code == 503
    web_process(1)
    assert client.get("/sandbox/acefone/v1/broadcast/lists", **AUTH).status_code == 200
    assert sandbox.sandbox_emulator("acefone").faults[0].remaining == 0


def test_reset_reaches_every_web_process(client, web_process):
    web_process(0)
    _webitel_dialer_create(client, "forgotten")
    web_process(1)
    reset = client.post(
        "/sandbox/webitel/_reset", "", "application/json", HTTP_X_SANDBOX_TOKEN=TOKEN
    )
    assert reset.status_code == 200
    web_process(0)
    assert client.get("/sandbox/webitel/api/v2/dialer", **WEBITEL).json()["data"] == []


@pytest.mark.parametrize("kind", vendor_params())
def test_each_emulators_state_survives_the_store(kind, web_process):
    web_process(0)
    with sandbox.sandbox_state(kind) as first:
        first.inject("rate_limited", remaining=3, retry_after=9)
        first_state = first.state_dump()
    web_process(1)
    loaded = sandbox.sandbox_emulator(kind)
    assert loaded is not first
    assert loaded.faults == first.faults
    # Compared as values: a set's pickled order follows its hash table, which a set
    # rebuilt from the bytes need not repeat, so equal states may dump to other bytes.
    assert _state_tree(loaded, loaded.state_dump()) == _state_tree(first, first_state)


def _state_tree(emulator, data: bytes):
    """The dumped state as plain, comparable values: sets sorted, objects as their
    attributes, random generators as their state, the clock as a name."""
    state = emulation._StateUnpickler(io.BytesIO(data), clock=emulator.clock).load()

    def plain(value):
        if value is emulator.clock:
            return "<clock>"
        if isinstance(value, random.Random):
            return value.getstate()
        if isinstance(value, (set, frozenset)):
            return sorted((plain(item) for item in value), key=repr)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple, collections.deque)):
            return [plain(item) for item in value]
        if hasattr(value, "__dict__") and not callable(value):
            return (type(value).__name__, plain(vars(value)))
        return value

    return plain(state)


def test_slow_fault_waits_after_the_state_is_saved(monkeypatch):
    with sandbox.sandbox_state("acefone") as emulator:
        emulator.inject("slow", delay_seconds=2)
    waits = []
    monkeypatch.setattr(sandbox.time, "sleep", waits.append)
    reply = sandbox.sandbox_answer(
        kind="acefone",
        mount="/sandbox/acefone",
        method="GET",
        url="http://testserver/sandbox/acefone/v1/broadcast/lists",
        headers={"Authorization": AUTH["HTTP_AUTHORIZATION"]},
        body=b"",
    )
    assert reply.status == 200
    assert waits == [2]
    assert sandbox.sandbox_emulator("acefone").faults[0].remaining == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_sandbox_processes(tmp_path):
    """Two standalone sandbox servers, each its own process, on one embedded database."""
    root = Path(__file__).resolve().parents[2]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "VENDOR_SANDBOX", "DJANGO_"))
    }
    env.update(VAR_DIR=str(tmp_path), DEBUG="1", LOG_LEVEL="WARNING")
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=root, check=True, timeout=300)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [*manage, "vendor_sandbox", "--port", str(port), "--quiet"], env=env, cwd=root
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}/sandbox/webitel/api/v2" for port in ports]
        for url in urls:
            _wait_until_up(url)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(f"{url}/dialer", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


# The two servers share their own SQLite file, not the test database.
def test_two_real_processes_share_the_sandbox(two_sandbox_processes):
    headers = {
        "X-Access-Token": webitel_emulator.SANDBOX_CREDENTIALS["token"],
        "X-Key": webitel_emulator.SANDBOX_CREDENTIALS["key"],
    }
    calendar_id, calendar_name = webitel_emulator.EXAMPLE_CALENDAR
    created = []
    for number in range(6):
        url = two_sandbox_processes[number % 2]
        body = {
            "name": f"campaign {number}",
            "type": webitel_payloads.DIALER_TYPES[0],
            "calendar": {"id": calendar_id, "name": calendar_name},
        }
        response = httpx.post(f"{url}/dialer", json=body, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        created.append(response.json()["data"]["insertedIds"][0])
    assert len(set(created)) == 6
    for url in two_sandbox_processes:
        listed = httpx.get(f"{url}/dialer", headers=headers, timeout=30).json()["data"]
        assert [dialer["_id"] for dialer in listed] == created
