"""The first journey: a supervisor logs in and sees the layout working."""

import pytest

from tests.e2e.conftest import ARTIFACTS, login, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_supervisor_logs_in_and_sees_the_layout(page, live_server, supervisor):
    login(page, live_server, supervisor)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    nav = page.locator("header nav")
    for label in ("Campaigns", "Lead lists", "Vendors", "Sync jobs"):
        if nav.get_by_role("link", name=label).count() == 0:
            pytest.fail(f"navigation lacks {label!r}")
    # Pico's stylesheet is served from our static files and applied.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font or "Segoe" in font
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert run_axe(page) == []


def test_wrong_password_stays_on_the_login_page(page, live_server, supervisor):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(supervisor.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").first.is_visible()
    assert "/accounts/login/" in page.url
