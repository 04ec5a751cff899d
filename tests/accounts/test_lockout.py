"""Login caps (accounts.lockout): per user name and address, and per address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.lockout import client_address
from tests.accounts.factories import UserFactory

LOGIN = "accounts:login"


def _fail(client, username: str, address: str = "203.0.113.7", **extra):
    return client.post(
        reverse(LOGIN), {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **extra
    )


def _log_in(client, user, address: str = "203.0.113.7", **extra):
    return client.post(
        reverse(LOGIN),
        {"username": user.username, "password": "correct-horse-battery"},
        REMOTE_ADDR=address,
        **extra,
    )


@pytest.fixture
def caps(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 5
    return settings


@pytest.mark.django_db
def test_one_address_trying_many_user_names_is_locked_out(client, caps, supervisor):
    for number in range(5):
        _fail(client, f"guess-{number}")
    # Each user name stayed under its own limit of 3, but the address is capped at 5.
    response = _log_in(client, supervisor)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    # Another address is not affected.
    assert _log_in(client, supervisor, address="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_below_the_address_cap_other_user_names_still_log_in(client, caps, supervisor):
    for number in range(4):
        _fail(client, f"guess-{number}")
    assert _log_in(client, supervisor).status_code == 302


@pytest.mark.django_db
def test_the_per_user_limit_is_kept_below_the_address_cap(client, caps, supervisor):
    other = UserFactory(role="Supervisor")
    for _ in range(3):
        _fail(client, supervisor.username)
    assert _log_in(client, supervisor).status_code == 429
    # The address has 3 failures, under its cap: another user name from it logs in.
    assert _log_in(client, other).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_does_not_reset_the_address_count(client, caps, supervisor):
    for number in range(4):
        _fail(client, f"guess-{number}")
    assert _log_in(client, supervisor).status_code == 302
    client.logout()
    _fail(client, "guess-5")
    assert _log_in(client, supervisor).status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_the_cap_follows_the_forwarded_client(client, caps, supervisor):
    caps.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for number in range(5):
        _fail(client, f"guess-{number}", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = _log_in(client, supervisor, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out with the first one.
    other = _log_in(client, supervisor, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # a forged first entry is ignored
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (2, "198.51.100.9", "10.0.0.2"),  # did not come through both proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
