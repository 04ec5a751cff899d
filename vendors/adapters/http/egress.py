"""Which hosts a vendor call may reach: the guard against SSRF through an account's base URL.

A supervisor types the base URL, so it could name the console's own machine or its
network (``http://127.0.0.1:6379``, the cloud metadata address, a LAN host). Loopback,
link-local, private, shared (CGNAT), unique-local, unspecified, multicast and reserved
addresses are refused unless ``VENDOR_ALLOWED_PRIVATE_HOSTS`` names the host or its
network, or the host is this console's own (``SITE_URL``) while the sandbox is on.

The real guard is at connect time (``GuardedTransport``): the host is resolved, every
address it resolves to is checked, and the socket connects to a checked address, so a
name that resolves to 127.0.0.1 (or re-resolves there later) is refused too. TLS still
verifies the URL's host name: httpcore takes SNI from the URL, not from the address the
network backend connects to. ``base_url_refusal`` runs the same check when an account is
saved, for a clear form error; it is a courtesy, not the guard.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOW_SETTING = "VENDOR_ALLOWED_PRIVATE_HOSTS"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits: check that one instead.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EgressRefused(httpx.ConnectError):
    """The base URL's host is a private or local address that no setting allows."""


def refusal_message(host: str) -> str:
    return (
        f"{host} is a private or local address: vendor calls to it are refused by policy. "
        f"An administrator can allow it with the {ALLOW_SETTING} setting."
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this to fake DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _parse_address(text: str) -> IPAddress:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return embedded
    return address


def address_is_public(address: IPAddress) -> bool:
    """True for an address on the public internet. ``is_global`` alone lets multicast and
    some reserved ranges through, so those are refused explicitly."""
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


@dataclass(frozen=True)
class EgressPolicy:
    """Host names and networks that may be reached although they are not public."""

    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls) -> EgressPolicy:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in settings.VENDOR_ALLOWED_PRIVATE_HOSTS:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        if settings.VENDOR_SANDBOX:
            # The demo's sandbox accounts point at this console itself (SITE_URL/sandbox/).
            site_host = (urlsplit(settings.SITE_URL).hostname or "").lower()
            names.add(site_host)
            if _is_loopback_host(site_host):
                # localhost and 127.0.0.1 are one machine: the console binds either.
                names |= _LOOPBACK_NAMES
                networks.extend(_LOOPBACK_NETWORKS)
        return cls(frozenset(names), tuple(networks))

    def allows(self, host: str, address: str) -> bool:
        if host.lower().rstrip(".") in self.allowed_names:
            return True
        parsed = _parse_address(address)
        if any(parsed in network for network in self.allowed_networks):
            return True
        return address_is_public(parsed)

    def checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, if every one of them is allowed; raises
        ``EgressRefused`` otherwise (one bad address is enough: DNS can rotate)."""
        host = host.strip("[]")
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            raise httpcore.ConnectError(f"could not resolve {host}") from None
        if not addresses or not all(self.allows(host, address) for address in addresses):
            raise EgressRefused(refusal_message(host))
        return addresses


def _is_loopback_host(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return _parse_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url_refusal(url: str, *, policy: EgressPolicy | None = None) -> str:
    """Why calls to ``url`` would be refused, or "" when they may go ahead (or the host
    does not resolve yet: the connect-time guard decides then)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        return ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "The base URL's port is not a number between 0 and 65535."
    try:
        (policy or EgressPolicy.from_settings()).checked_addresses(host, port)
    except EgressRefused as exc:
        return str(exc)
    except httpcore.ConnectError:
        return ""
    return ""


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: EgressPolicy):
        self._policy = policy

    def connect_tcp(
        self, host: str, port: int, timeout=None, local_address=None, socket_options=None
    ) -> httpcore.NetworkStream:
        last_error: Exception | None = None
        for address in self._policy.checked_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"could not connect to {host}")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying context for every client: loading the CA bundle takes ~100 ms, and a
    client is built for every sync job."""
    return httpx.create_ssl_context()


# Failures whose kind tells an open port from a closed one (refused, reset, hung up).
_PORT_REVEALING = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class GuardedTransport(httpx.BaseTransport):
    """The real network behind the policy, with every connection failure reported as the
    same "could not connect to <host>" so the call log cannot be used to scan ports."""

    def __init__(self, policy: EgressPolicy):
        self._inner = httpx.HTTPTransport(verify=_ssl_context(), retries=0)
        # httpx takes no network backend: its pool is rebuilt around the guarded one.
        self._inner._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            retries=0,
            network_backend=GuardedBackend(policy),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._inner.handle_request(request)
            response.read()
        except EgressRefused:
            raise
        except _PORT_REVEALING:
            raise httpx.ConnectError(
                f"could not connect to {request.url.host}", request=request
            ) from None
        return response

    def close(self) -> None:
        self._inner.close()
