"""Journey (issue 17): a supervisor adds a team and a team lead in the console; the team
lead gets the invitation e-mail, sets a password through its one-time link, logs in, and
sees only their own team."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from tests.accounts.factories import TeamFactory, UserFactory
from tests.e2e.conftest import ARTIFACTS, labelled, login, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"users-{name}.png"), full_page=True)


def test_a_supervisor_adds_a_team_lead_who_logs_in_and_sees_their_team(
    page, live_server, supervisor, settings, celery_worker
):
    settings.SITE_URL = live_server.url
    elsewhere = TeamFactory(name="Elsewhere")
    UserFactory(username="stranger", role="Team lead", team=elsewhere)
    login(page, live_server, supervisor)

    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Teams").click()
    page.get_by_role("button", name="Add a team").click()
    labelled(page, "Name").fill("North")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Team North saved.").wait_for()

    page.get_by_role("button", name="Add a user").click()
    labelled(page, "User name").fill("lena")
    labelled(page, "Role").select_option("Team lead")
    labelled(page, "Team").select_option(label="North")
    labelled(page, "E-mail").fill("lena@example.test")
    labelled(page, "First name").fill("Lena")
    _shot(page, "add-form")
    page.get_by_role("button", name="Add the user").click()
    page.get_by_text("lena added and invited: a link went to lena@example.test.").wait_for()
    assert page.get_by_text("not set yet (invited)").is_visible()
    _shot(page, "added")
    assert run_axe(page) == []

    page.context.clear_cookies()

    # The invitation goes out through the worker once the user is committed.
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [message.to for message in mail.outbox] == [["lena@example.test"]]
    link = re.search(r"(https?://\S+/accounts/password/set/\S+)", mail.outbox[0].body).group(1)
    page.goto(link)
    labelled(page, "New password").fill("a fresh passphrase 7")
    labelled(page, "New password confirmation").fill("a fresh passphrase 7")
    _shot(page, "set-password")
    page.get_by_role("button", name="Set the password").click()
    page.get_by_text("Password set. Log in with it now.").wait_for()

    page.goto(link)  # the link works once
    page.get_by_role("heading", name="This link no longer works").wait_for()

    lena = type(supervisor).objects.get(username="lena")
    login(page, live_server, lena, password="a fresh passphrase 7")
    nav = page.locator("header nav")
    assert nav.get_by_role("link", name="Users").count() == 0
    nav.get_by_role("link", name="My team").click()
    page.get_by_role("link", name="North").click()
    page.get_by_role("heading", name="North").wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "lena" in rows.first.inner_text()
    assert page.get_by_role("button", name="Rename").count() == 0
    _shot(page, "team-lead-team")
    assert run_axe(page) == []
    response = page.goto(f"{live_server.url}/accounts/teams/{elsewhere.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/accounts/users/")
    assert response.status == 403


def test_a_supervisor_clears_a_lockout(page, live_server, supervisor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    lead = UserFactory(username="locked-lead", role="Team lead", team=TeamFactory(name="North"))
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(2):
        labelled(page, "Username").fill(lead.username)
        labelled(page, "Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    login(page, live_server, supervisor)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Login lockouts").click()
    row = page.locator("tr", has_text="locked-lead")
    assert "locked out" in row.inner_text()
    _shot(page, "lockouts")
    assert run_axe(page) == []
    row.get_by_role("button", name="Clear").click()
    page.get_by_text("Failed logins of locked-lead from 127.0.0.1 cleared.").wait_for()
    assert page.locator("tr", has_text="locked-lead").count() == 0
