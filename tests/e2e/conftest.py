"""End-to-end journeys in Debian's Chromium, driven by Playwright, against Django's live
server with the vendor sandbox.

- Browser downloads are impossible here, so the system ``chromium`` is launched through
  ``executable_path``; with ``CI=true`` a missing Chromium fails the run instead of skipping.
- Playwright's sync API keeps an event loop in the test thread, so Django refuses ORM calls
  there unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: it is set only while the e2e tests run,
  and they run after every other test.
- A failing journey leaves a screenshot and the page's HTML under ``var/e2e/``.
- Background work runs on a real Celery worker in a thread, on kombu's filesystem
  transport in a temporary folder (``celery_worker``), so a developer's running console
  or CI's Redis can neither steal the journeys' tasks nor leave tasks for them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI
from vendors.sandbox import CONTROL_TOKEN_HEADER, sandbox_credentials, sandbox_reset

# Long enough for a slow CI machine, short enough that a broken journey fails quickly.
PAGE_TIMEOUT_MS = 10_000
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
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Session-scoped so it precedes Playwright's own session fixtures; the e2e tests run
    # last (tests/conftest.py orders them), so no other test runs with it set.
    # Put back what was there: a test module outside tests/e2e that imports this fixture
    # holds a second copy of it, which must not unset the variable under this one.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request):
    # Ask for the page first, so that it is torn down after this fixture looked at it.
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    if page is not None:
        page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or page is None:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
    except Exception as exc:  # the page may be gone with the failure; say so, don't mask it
        (ARTIFACTS / f"{stem}.txt").write_text(f"could not capture the page: {exc}")


SANDBOX_ADMIN_TOKEN = "e2e-sandbox-admin-token"  # noqa: S105 - a test-only control token


@pytest.fixture
def e2e_sandbox(settings, live_server):
    """The vendor sandbox mounted on the live server, for sandbox vendor accounts: fresh
    emulators, and fault control with a known admin token."""
    if not settings.VENDOR_SANDBOX:
        pytest.fail("The e2e journeys need VENDOR_SANDBOX=1 (the sandbox URLs are mounted).")
    settings.VENDOR_SANDBOX_ADMIN_TOKEN = SANDBOX_ADMIN_TOKEN
    sandbox_reset()
    yield f"{live_server.url}/sandbox"
    sandbox_reset()


def sandbox_control(sandbox_url: str, kind: str, action: str, method: str = "POST", **body):
    """Drive the sandbox's control endpoints (``_faults``, ``_dial``, ``_reset``) over HTTP,
    as an operator of the demo would."""
    response = httpx.request(
        method,
        f"{sandbox_url}/{kind}/{action}",
        json=body or None,
        headers={CONTROL_TOKEN_HEADER: SANDBOX_ADMIN_TOKEN},
        timeout=10,
    )
    assert response.status_code < 300, response.text
    return response.json()


def sandbox_account(sandbox_url: str, kind: str, name: str = ""):
    """A vendor account on the live server's sandbox, with the credentials it accepts
    (data setup for journeys that are not about adding accounts)."""
    from vendors.services import vendor_account_save

    return vendor_account_save(
        account=None,
        name=name or f"{kind} sandbox (e2e)",
        kind=kind,
        base_url=f"{sandbox_url}/{kind}",
        credentials=sandbox_credentials(kind),
    )


def campaign_on(account, *, name: str, settings: dict, acting_user, lead_lists=()):
    """A draft campaign on ``account`` whose vendor settings are ``settings`` (in the
    vendor form's field names), validated by that vendor's form as the page would."""
    from campaigns.services import LeadListLink, campaign_create
    from campaigns.spec import field_map_for
    from campaigns.vendor_settings import vendor_form
    from tests.campaigns.factories import campaign_as_spec
    from tests.campaigns.vendor_data import DIAL_METHODS

    # The campaign's own fields take what the settings say of the derived ones (as the
    # #12 data migration moves them): the campaign decides what the dialer gets.
    fields = {"name": name, "vendor_account": account}
    field_map = field_map_for(account.kind)
    for row in field_map.derived if field_map else ():
        value = field_map.stored_value(settings, row)
        if value is not None and row.to_campaign is not None and row.source not in fields:
            fields[row.source] = row.to_campaign(value)
    fields.setdefault("dial_method", DIAL_METHODS.get(account.kind, "progressive"))
    form = vendor_form(account=account, data=settings)
    assert form.is_valid(), form.errors
    campaign = campaign_create(
        fields=fields,
        vendor_settings=form.settings(),
        lead_lists=[LeadListLink(lead_list) for lead_list in lead_lists],
        acting_user=acting_user,
    )
    # What its vendor's field map needs before sync (agents' and lists' ids on the
    # account), as the console's pages would have set up.
    return campaign_as_spec(campaign)


def lead_list_of(count: int, name: str):
    """A lead list of ``count`` Indian mobile numbers (data setup, not the journey)."""
    from leads.models import Lead
    from leads.services import lead_list_counts_refresh
    from tests.leads.factories import LeadListFactory

    lead_list = LeadListFactory(name=name, default_country="IN")
    Lead.objects.bulk_create(
        Lead(lead_list=lead_list, phone=f"+9198765{n:05d}", first_name=f"Lead {n}")
        for n in range(count)
    )
    # The counts an import keeps: a campaign starts only with a callable lead in them.
    return lead_list_counts_refresh(lead_list=lead_list)


def sync_badge(page):
    return page.locator("#sync-panel [data-sync-state]")


def click_action(page, name: str) -> None:
    page.get_by_role("region", name="Actions").get_by_role("button", name=name).click()


def start_anyway(page) -> None:
    """Start a campaign whose calling window lets the dialer call none of its leads within
    24 hours (the Webitel test campaigns' window has no days of its own: their hours are
    the dialer's calendar): the page asks first, with the reason, and the journey
    confirms."""
    from playwright.sync_api import expect

    click_action(page, "Start")
    confirm = page.locator("#action-confirm")
    expect(confirm).to_contain_text("No lead of this campaign can be called in the next 24 hours")
    snap(page, "start-asks-first-nothing-callable-soon")
    confirm.get_by_role("button", name="Start the campaign anyway").click()


_worker_running: list = []


@pytest.fixture(scope="session")
def celery_worker(tmp_path_factory):
    """A real worker in a thread of this process (pool "solo"), on a filesystem broker of
    its own. The app's broker is switched for the session and put back afterwards."""
    from celery.contrib.testing.worker import start_worker

    from dialer_console.celery import app

    if _worker_running:  # a module outside tests/e2e imported a second copy of this fixture
        yield app
        return
    folder = tmp_path_factory.mktemp("e2e-broker")
    for sub in ("queue", "control"):
        (folder / sub).mkdir()
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = "filesystem://", options
    app._pool = None
    app.amqp._producer_pool = None
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            _worker_running.append(app)
            yield app
    finally:
        _worker_running.clear()
        app.conf.broker_url, app.conf.broker_transport_options = previous
        app._pool = None
        app.amqp._producer_pool = None


def snap(page, name: str) -> Path:
    """A named full-page screenshot under ``var/e2e/``: the evidence of a journey."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def labelled(scope, label: str):
    """The control whose label is ``label``, with or without the mandatory mark (" *")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}( \*)?\s*$"))


def settle(page) -> None:
    """Wait until HTMX has no request in flight."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


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
