"""The SSRF guard: vendor calls never reach a private or local address unless allowed.

The suite blocks non-loopback sockets, so public addresses are faked at the resolver
(``egress.resolve``) and at httpcore's socket backend; refusals happen before any socket.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import httpx
import pytest

from dialer_console.errors import ApplicationError
from vendors import services
from vendors.adapters.http import EgressPolicy, EgressRefused, build_client, egress
from vendors.forms import VendorAccountForm
from vendors.models import VendorAccount, VendorCall
from vendors.services import vendor_adapter_class

NO_EXCEPTIONS = EgressPolicy()
REFUSED_HOSTS = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space (CGNAT)
    "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2130706433",  # 127.0.0.1 as one decimal number
    "0177.0.0.1",  # octal
    "0x7f.1",
    "localhost",
]


@pytest.fixture(autouse=True)
def _no_allowances(settings):
    settings.VENDOR_SANDBOX = False
    settings.VENDOR_ALLOWED_PRIVATE_HOSTS = []


@pytest.fixture
def fake_dns(monkeypatch):
    """``fake_dns({"vendor.example.com": ["127.0.0.1"]})``; numeric hosts resolve as usual."""

    def install(table: dict[str, list[str]]):
        real = egress.resolve

        def resolve(host: str, port: int) -> list[str]:
            return table[host] if host in table else real(host, port)

        monkeypatch.setattr(egress, "resolve", resolve)

    return install


@pytest.fixture
def connects(monkeypatch):
    """Where httpcore's socket backend was asked to connect; fails each one as refused."""
    seen: list[tuple[str, int]] = []

    def connect_tcp(self, host, port, *args, **kwargs):
        seen.append((host, port))
        raise httpcore.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return seen


def _get(url: str, *, egress_policy: EgressPolicy | None = None) -> tuple[Exception, list]:
    exchanges: list = []
    client = build_client(base_url=url, secrets=[], recorder=exchanges.append, egress=egress_policy)
    with client, pytest.raises(httpx.TransportError) as caught:
        client.get("status")
    return caught.value, exchanges


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_every_non_public_address_form_is_refused(host):
    with pytest.raises(EgressRefused, match="VENDOR_ALLOWED_PRIVATE_HOSTS"):
        NO_EXCEPTIONS.checked_addresses(host, 443)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost:8000/",
        "http://[::1]:8000/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_the_client_refuses_before_connecting(url, connects):
    error, exchanges = _get(url)
    assert isinstance(error, EgressRefused)
    assert connects == []
    assert "refused by policy" in exchanges[0].error
    assert "VENDOR_ALLOWED_PRIVATE_HOSTS" in exchanges[0].error


def test_a_name_that_resolves_to_loopback_is_refused(fake_dns, connects):
    fake_dns({"vendor.example.com": ["127.0.0.1"]})
    error, _ = _get("https://vendor.example.com/api")
    assert isinstance(error, EgressRefused)
    assert connects == []


def test_one_private_address_among_public_ones_is_enough_to_refuse(fake_dns, connects):
    fake_dns({"vendor.example.com": ["93.184.216.34", "10.0.0.7"]})
    error, _ = _get("https://vendor.example.com/api")
    assert isinstance(error, EgressRefused)
    assert connects == []


def test_a_public_name_connects_to_the_checked_address_and_keeps_its_host(fake_dns, connects):
    fake_dns({"vendor.example.com": ["93.184.216.34"]})
    error, exchanges = _get("https://vendor.example.com/api")
    assert connects == [("93.184.216.34", 443)]
    assert not isinstance(error, EgressRefused)
    assert '"host": "vendor.example.com"' in exchanges[0].request_excerpt


def test_connection_failures_all_read_alike(fake_dns, connects):
    fake_dns({"vendor.example.com": ["93.184.216.34"]})
    error, exchanges = _get("https://vendor.example.com/api")
    assert str(error) == "could not connect to vendor.example.com"
    assert "Errno" not in exchanges[0].error and "refused" not in exchanges[0].error


class _ClosingHandler(BaseHTTPRequestHandler):
    """Accepts, then hangs up without a reply ("server disconnected")."""

    def handle(self):
        self.connection.close()


class _ResettingHandler(BaseHTTPRequestHandler):
    """Accepts, then resets the connection (SO_LINGER 0)."""

    def handle(self):
        self.connection.recv(65536)
        self.connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        self.connection.close()


def _serve(handler) -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def test_refused_reset_and_disconnected_ports_cannot_be_told_apart():
    """The old call log said ConnectError / ReadError / RemoteProtocolError: a port scan."""
    allow_loopback = EgressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    closing, closing_port = _serve(_ClosingHandler)
    resetting, resetting_port = _serve(_ResettingHandler)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        errors = set()
        for port in (closing_port, resetting_port, closed_port):
            _, exchanges = _get(f"http://127.0.0.1:{port}/", egress_policy=allow_loopback)
            errors.add(exchanges[0].error)
    finally:
        closing.shutdown()
        resetting.shutdown()
    assert errors == {"ConnectError: could not connect to 127.0.0.1"}


def test_the_setting_allows_named_hosts_and_networks(settings, fake_dns):
    settings.VENDOR_ALLOWED_PRIVATE_HOSTS = ["webitel.lan", "10.20.0.0/16", "[fd00::5]"]
    fake_dns({"webitel.lan": ["10.9.9.9"], "jtel.lan": ["10.20.1.2"], "other.lan": ["10.21.0.1"]})
    policy = EgressPolicy.from_settings()
    assert policy.checked_addresses("webitel.lan", 443) == ["10.9.9.9"]
    assert policy.checked_addresses("jtel.lan", 443) == ["10.20.1.2"]
    assert policy.checked_addresses("fd00::5", 443) == ["fd00::5"]
    with pytest.raises(EgressRefused):
        policy.checked_addresses("other.lan", 443)


def test_the_sandbox_host_is_allowed_only_with_the_sandbox_on(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(EgressRefused):
        EgressPolicy.from_settings().checked_addresses("127.0.0.1", 8000)
    settings.VENDOR_SANDBOX = True
    policy = EgressPolicy.from_settings()
    # The live server of the browser journeys answers on localhost.
    assert policy.checked_addresses("127.0.0.1", 8000) == ["127.0.0.1"]
    assert "127.0.0.1" in policy.checked_addresses("localhost", 8000)
    with pytest.raises(EgressRefused):
        policy.checked_addresses("10.0.0.1", 80)


def test_a_public_site_url_allows_only_itself(settings, fake_dns):
    settings.VENDOR_SANDBOX = True
    settings.SITE_URL = "https://console.internal.example"
    fake_dns({"console.internal.example": ["10.1.1.1"]})
    policy = EgressPolicy.from_settings()
    assert policy.checked_addresses("console.internal.example", 443) == ["10.1.1.1"]
    with pytest.raises(EgressRefused):
        policy.checked_addresses("127.0.0.1", 8000)


def test_the_client_follows_no_redirect():
    assert build_client(base_url="https://vendor.example.com", secrets=[]).follow_redirects is False


# --- on save -------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_private_base_url_is_refused_with_the_setting_named():
    with pytest.raises(ApplicationError) as caught:
        services.vendor_account_save(
            account=None,
            name="probe",
            kind="webitel",
            base_url="http://127.0.0.1:6379",
            credentials={"token": "t0ken-value"},
        )
    assert caught.value.extra == {"field": "base_url"}
    assert "VENDOR_ALLOWED_PRIVATE_HOSTS" in caught.value.message
    assert not VendorAccount.objects.exists()


@pytest.mark.django_db
def test_saving_an_allowed_private_base_url_works(settings):
    settings.VENDOR_ALLOWED_PRIVATE_HOSTS = ["10.0.0.0/8"]
    account = services.vendor_account_save(
        account=None,
        name="LAN Webitel",
        kind="webitel",
        base_url="http://10.0.0.5:8080",
        credentials={"token": "t0ken-value"},
    )
    assert account.base_url == "http://10.0.0.5:8080"


@pytest.mark.django_db
def test_the_account_form_shows_the_refusal_at_the_base_url():
    form = VendorAccountForm(
        {"name": "x", "kind": "webitel", "base_url": "http://169.254.169.254/", "cred_token": "t"},
        adapter=vendor_adapter_class("webitel"),
    )
    assert not form.is_valid()
    assert "refused by policy" in form.errors["base_url"][0]


# --- what the user sees --------------------------------------------------------------


class _InternalService(BaseHTTPRequestHandler):
    """An internal service that must never be read through the console."""

    hits = 0

    def do_GET(self):
        type(self).hits += 1
        body = b'{"message": "INTERNAL-ONLY reply"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_test_connection_to_an_internal_service_shows_nothing_of_it(settings):
    server, port = _serve(_InternalService)
    try:
        # Saved while allowed; the allowance is then withdrawn (or DNS changed).
        settings.VENDOR_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        account = services.vendor_account_save(
            account=None,
            name="probe",
            kind="webitel",
            base_url=f"http://127.0.0.1:{port}",
            credentials={"token": "t0ken-value"},
        )
        settings.VENDOR_ALLOWED_PRIVATE_HOSTS = []
        result = services.vendor_account_test_connection(account=account)
    finally:
        server.shutdown()
    assert _InternalService.hits == 0
    assert not result.ok and "refused by policy" in result.message
    account.refresh_from_db()
    assert "INTERNAL-ONLY" not in account.health_message
    for call in VendorCall.objects.all():
        assert "INTERNAL-ONLY" not in call.response_excerpt + call.error
        assert "refused by policy" in call.error
