"""Invitations and password links are e-mailed by a Celery task published after commit,
never in the request: a rolled-back user is never mailed, a refusing mail server is
retried by the task instead of failing the form."""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts import mail as account_mail
from accounts import services
from accounts.mail import INVITE, RESET, password_link_deliver
from accounts.models import User
from accounts.roles import Role
from accounts.tasks import MAIL_RETRIES, password_link_email
from tests.accounts.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_sent_at_once():
    """Overrides tests/accounts/conftest.py's: here the queue is the real one."""


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(
        password_link_email, "delay", lambda *args: sent.append(args), raising=False
    )
    return sent


def _invite(supervisor, username="dana"):
    return services.user_create(
        username=username,
        email=f"{username}@example.test",
        role=Role.TEAM_LEAD,
        team=TeamFactory(name="North"),
        acting_user=supervisor,
    )


def test_an_invitation_is_published_only_after_commit(
    supervisor, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _invite(supervisor)
        assert published == []
    assert published == [(user.pk, INVITE, supervisor.pk)]
    assert mail.outbox == []  # the worker sends it, not the request


def test_a_rolled_back_user_is_never_mailed(
    supervisor, published, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        _invite(supervisor)
        raise RuntimeError
    assert published == []
    assert not User.objects.filter(username="dana").exists()


def test_a_password_link_from_the_page_is_published_not_sent(
    supervisor_client, team_lead, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            reverse("accounts:user-password-reset", args=[team_lead.pk])
        )
    assert response.status_code == 302
    assert [args[:2] for args in published] == [(team_lead.pk, RESET)]
    assert mail.outbox == []


def test_the_task_sends_the_link(supervisor, team_lead, settings):
    settings.SITE_URL = "https://console.example.test"
    assert password_link_email.apply(args=(team_lead.pk, RESET, supervisor.pk)).get() is True
    assert [message.to for message in mail.outbox] == [[team_lead.email]]
    assert "https://console.example.test/accounts/password/set/" in mail.outbox[0].body


def test_the_task_skips_a_user_deactivated_or_without_an_address_since(supervisor, team_lead):
    team_lead.is_active = False
    team_lead.save()
    assert password_link_deliver(user_id=team_lead.pk, kind=RESET, sent_by_id=None) is False
    assert mail.outbox == []


def test_a_refusing_mail_server_is_retried_by_the_task(team_lead, caplog):
    assert set(password_link_email.autoretry_for) == {smtplib.SMTPException, OSError}
    assert password_link_email.max_retries == MAIL_RETRIES
    refused = mock.patch.object(account_mail, "send_mail", side_effect=OSError("server down"))
    with refused, pytest.raises(OSError):
        password_link_deliver(user_id=team_lead.pk, kind=RESET, sent_by_id=None)
    assert "The reset e-mail to user" in caplog.text


def test_a_broker_that_is_down_does_not_fail_the_page(
    supervisor_client, team_lead, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(password_link_email, "delay", down, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            reverse("accounts:user-password-reset", args=[team_lead.pk])
        )
    assert response.status_code == 302
