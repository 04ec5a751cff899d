"""End-to-end journeys in Debian's Chromium, driven by Playwright, against Django's live
server with the vendor sandbox.

- Browser downloads are impossible here, so the system ``chromium`` is launched through
  ``executable_path``; with ``CI=true`` a missing Chromium fails the run instead of skipping.
- Playwright's sync API keeps an event loop in the test thread, so Django refuses ORM calls
  there unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: it is set only while the e2e tests run,
  and they run after every other test.
- A failing journey leaves a screenshot and the page's HTML under ``var/e2e/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    if executable is None:
        if IN_CI:
            pytest.fail("Debian's chromium is required in CI (apt-get install chromium).")
        pytest.skip("chromium is not installed")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS,
            "headless": True}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Session-scoped so it precedes Playwright's own session fixtures; the e2e tests run
    # last (tests/conftest.py orders them), so no other test runs with it set.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request):
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or "page" not in request.fixturenames:
        return
    page = request.getfixturevalue("page")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
    except Exception as exc:  # the page may be gone with the failure; say so, don't mask it
        (ARTIFACTS / f"{stem}.txt").write_text(f"could not capture the page: {exc}")


@pytest.fixture
def e2e_sandbox(settings, live_server):
    """The vendor sandbox mounted on the live server, for sandbox vendor accounts."""
    if not settings.VENDOR_SANDBOX:
        pytest.fail("The e2e journeys need VENDOR_SANDBOX=1 (the sandbox URLs are mounted).")
    return f"{live_server.url}/sandbox"


def login(page, live_server, user, password: str = "correct-horse-battery") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations on the current page (axe-core from
    our own static files)."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in result if v.get("impact") in ("serious", "critical")]

