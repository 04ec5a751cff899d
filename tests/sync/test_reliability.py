"""Reliability with a real Celery worker on Redis and the Webitel emulator over real HTTP
(the standalone sandbox server, in a thread of this process). Webitel has no duplicate
guard, so these prove the console's own exactly-once bookkeeping.

They need PostgreSQL (the worker is another process and must see the test database) and
Redis; in CI (``CI=true``) both are required."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

from dialer_console.celery import app
from sync.models import (
    CampaignRemote,
    CampaignSyncState,
    JobState,
    LeadSync,
    LeadSyncState,
    SyncJob,
)
from sync.services import sync_jobs_sweep, sync_on_campaign_status_changed
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.adapters.emulation import Fault
from vendors.management.commands.vendor_sandbox import SandboxRequestHandler
from vendors.sandbox import sandbox_credentials, sandbox_emulator, sandbox_reset
from vendors.services import vendor_account_save

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKER_ENV = {
    "VENDOR_HTTP_TIMEOUT_SECONDS": "1",
    "SYNC_STALE_AFTER_SECONDS": "4",
    "SYNC_JOB_SLICE_SECONDS": "2",
    "SYNC_RETRY_BASE_SECONDS": "0.2",
    "SYNC_RETRY_MAX_SECONDS": "1",
    "SYNC_MAX_ATTEMPTS": "50",
}


@pytest.fixture
def published():
    """Here job ids really go to Celery (the suite's default only records them)."""
    return []


@pytest.fixture
def broker(redis_url, require_postgres, settings):
    if not app.conf.broker_url.startswith("redis"):
        pytest.skip("the console's broker is not Redis (set CELERY_BROKER_URL)")
    settings.VENDOR_HTTP_TIMEOUT_SECONDS = 1  # how long the sandbox holds a timeout fault
    settings.SYNC_STALE_AFTER_SECONDS = int(WORKER_ENV["SYNC_STALE_AFTER_SECONDS"])
    app.control.purge()
    return app.conf.broker_url


@pytest.fixture
def sandbox():
    sandbox_reset()
    server = ThreadingHTTPServer(("127.0.0.1", 0), SandboxRequestHandler)
    server.daemon_threads = True
    SandboxRequestHandler.quiet = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sandbox"
    server.shutdown()
    server.server_close()
    sandbox_reset()


class Worker:
    """``celery worker`` in its own process group, so SIGKILL takes its children too."""

    def __init__(self, log: Path):
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        database = connection.settings_dict
        url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
        env = {**os.environ, **WORKER_ENV, "DATABASE_URL": url, "DEBUG": "1"}
        command = [sys.executable, "-m", "celery", "-A", "dialer_console", "worker"]
        command += ["--concurrency", "2", "--loglevel", "INFO", "--without-mingle"]
        command += ["--without-gossip", "-n", f"sync-test-{time.monotonic_ns()}@%h"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(tmp_path):
    worker = Worker(tmp_path / "worker.log")
    yield worker
    worker.stop()


def _wait(predicate, timeout: float, what: str, log: Path, sweep: bool = False) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if sweep:
            sync_jobs_sweep(check_accounts=False)
        time.sleep(0.25)
    tail = log.read_text()[-3000:] if log.exists() else ""
    jobs = list(SyncJob.objects.values_list("operation", "state", "attempts", "last_error"))
    raise AssertionError(f"timed out waiting for {what}; jobs {jobs}; worker log:\n{tail}")


def _account(base: str, **credentials):
    return vendor_account_save(
        account=None,
        name="Webitel over HTTP",
        kind="webitel",
        base_url=f"{base}/webitel",
        credentials=credentials or sandbox_credentials("webitel"),
    )


def _start(account, leads: int):
    campaign = campaign_on(
        account,
        lead_list=lead_list_with_leads(leads),
        parameters={"limit": 20, "waitingForResultStatus": False},
    )
    with transaction.atomic():
        sync_on_campaign_status_changed(campaign=campaign)
    return campaign


def _held_on_dialer(campaign) -> Counter:
    dialer_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    members = sandbox_emulator("webitel").members[dialer_id].values()
    return Counter(member["communications"][0]["number"] for member in members)


def _finished(campaign) -> bool:
    open_jobs = SyncJob.objects.filter(
        campaign=campaign, state__in=(JobState.PENDING, JobState.RUNNING)
    )
    busy_leads = LeadSync.objects.filter(
        campaign=campaign, state__in=(LeadSyncState.PENDING, LeadSyncState.SENDING)
    )
    return not open_jobs.exists() and not busy_leads.exists()


def test_killing_the_worker_mid_push_delivers_each_lead_exactly_once(broker, sandbox, worker):
    emulator = sandbox_emulator("webitel")
    # Each request takes 0.3 s, so the kill lands while batches are in flight.
    emulator.inject(Fault.SLOW, remaining=None, delay_seconds=0.3)
    campaign = _start(_account(sandbox), 10_000)
    worker.start()
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
    _wait(lambda: pushed.count() >= 3000, 90, "3,000 leads pushed", worker.log)
    worker.kill()
    assert pushed.count() < 10_000, "the push finished before the kill"
    worker.start()
    _wait(lambda: _finished(campaign), 90, "the push to finish", worker.log, sweep=True)
    held = _held_on_dialer(campaign)
    assert len(held) == 10_000
    assert set(held.values()) == {1}
    assert pushed.count() == 10_000


def test_random_faults_end_with_each_lead_once_and_matching_counts(
    broker, sandbox, worker, supervisor_client
):
    emulator = sandbox_emulator("webitel")
    for fault in (Fault.SERVER_ERROR, Fault.RATE_LIMITED, Fault.TIMEOUT):
        emulator.inject(fault, remaining=None, probability=0.07, retry_after=0)
    campaign = _start(_account(sandbox), 3000)
    worker.start()
    _wait(lambda: _finished(campaign), 100, "the push to finish", worker.log, sweep=True)
    held = _held_on_dialer(campaign)
    assert len(held) == 3000 and set(held.values()) == {1}
    assert any(log.status in (429, 503, 504) for log in emulator.requests)
    supervisor_client.post(reverse("sync:campaign-refresh", args=[campaign.pk]))
    refreshed = CampaignRemote.objects.filter(campaign=campaign, pending_calls__isnull=False)
    _wait(refreshed.exists, 60, "the pending count", worker.log, sweep=True)
    dialer_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    page = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    assert f"data-pending-calls>{emulator.pending(dialer_id):,}<".encode() in page
    assert f'data-count="pushed">{len(held):,}<'.encode() in page
    assert b'data-sync-state="in_sync"' in page


def test_a_wrong_credential_holds_and_a_fix_finishes_without_resending(broker, sandbox, worker):
    emulator = sandbox_emulator("webitel")
    emulator.inject(Fault.SLOW, remaining=None, delay_seconds=0.2)
    account = _account(sandbox)
    campaign = _start(account, 4000)
    worker.start()
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
    _wait(lambda: pushed.count() >= 1000, 60, "1,000 leads pushed", worker.log)
    emulator.credentials["token"] = "rotated-on-the-dialer"  # the dialer revokes the token
    job = SyncJob.objects.filter(campaign=campaign)
    _wait(lambda: job.filter(state=JobState.HELD).exists(), 60, "the job held", worker.log)
    held_job = job.get(state=JobState.HELD)
    assert "Webitel refused the credentials (401): Invalid token" in held_job.last_error
    assert "Fix its credentials" in held_job.last_error
    before_fix = pushed.count()
    assert before_fix < 4000
    assert CampaignRemote.objects.get(campaign=campaign).state == CampaignSyncState.OUT_OF_SYNC
    credentials = {**sandbox_credentials("webitel"), "token": "rotated-on-the-dialer"}
    vendor_account_save(
        account=account,
        name=account.name,
        kind="webitel",
        base_url=account.base_url,
        credentials=credentials,
    )
    _wait(lambda: _finished(campaign), 90, "the push to finish", worker.log, sweep=True)
    held = _held_on_dialer(campaign)
    assert len(held) == 4000 and set(held.values()) == {1}
    assert CampaignRemote.objects.get(campaign=campaign).state == CampaignSyncState.IN_SYNC
