"""Two supervisors demoting each other at the same moment: the rule "an active supervisor
is left" holds across transactions (PostgreSQL's row locks; SQLite has one writer)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from accounts import services
from accounts.models import User
from accounts.roles import Role
from dialer_console.errors import ApplicationError
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_demoting_each_other_at_once_leave_one(require_postgres):
    first, second = UserFactory(role=Role.SUPERVISOR), UserFactory(role=Role.SUPERVISOR)
    team = TeamFactory()
    first_checked = threading.Event()
    refusals: list[str] = []

    def demote(pk: int, hold: bool) -> None:
        try:
            user = User.objects.get(pk=pk)
            with transaction.atomic():
                services.user_change(user=user, acting_user=user, role=Role.TEAM_LEAD, team=team)
                if hold:
                    # Still uncommitted: the other demotion starts now and must wait.
                    first_checked.set()
                    threading.Event().wait(1.0)
        except ApplicationError as exc:
            refusals.append(exc.message)
        finally:
            first_checked.set()
            connection.close()

    one = threading.Thread(target=demote, args=(first.pk, True))
    one.start()
    first_checked.wait(10)
    two = threading.Thread(target=demote, args=(second.pk, False))
    two.start()
    one.join(15)
    two.join(15)
    assert refusals == [services.NO_SUPERVISOR_LEFT]
    supervisors = User.objects.filter(groups__name=Role.SUPERVISOR, is_active=True)
    assert list(supervisors.values_list("pk", flat=True)) == [second.pk]
