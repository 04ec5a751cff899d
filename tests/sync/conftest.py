from __future__ import annotations

import pytest

from sync.models import JobState, SyncJob
from sync.services import jobs
from sync.services.runner import sync_job_run
from tests.vendors.fixtures import emulated_account as _emulated_account
from tests.vendors.fixtures import emulator_for


@pytest.fixture
def emulated_account(db, monkeypatch):
    """``emulated_account("webitel") -> (account, emulator)``; tests/vendors/fixtures.py.

    The emulator has its guessed extras on unless one is given: these tests are about
    pushing and removing, and Acefone's and jtel's documented create replies name no id
    (tests/sync/test_remote_id_unknown.py covers that path)."""

    def make(kind: str, **kwargs):
        kwargs.setdefault("emulator", emulator_for(kind, guessed_extras=True))
        return _emulated_account(kind, monkeypatch=monkeypatch, **kwargs)

    return make


@pytest.fixture(autouse=True)
def published(monkeypatch, settings):
    """Job ids handed to Celery, recorded instead of published; fast retries."""
    settings.SYNC_RETRY_BASE_SECONDS = 0.01
    settings.SYNC_RETRY_MAX_SECONDS = 0.05
    ids: list[tuple[int, float]] = []
    monkeypatch.setattr(
        jobs, "_publish", lambda job_id, countdown=0: ids.append((job_id, countdown))
    )
    return ids


def run_jobs(*, limit: int = 500, ignore_backoff: bool = True, drain: bool = True) -> list[str]:
    """Run due jobs one at a time, as a worker would, until none is left (``drain``) or
    ``limit`` runs were made."""
    outcomes = []
    for _ in range(limit):
        waiting = SyncJob.objects.filter(state=JobState.PENDING).order_by("not_before", "pk")
        job = waiting.first()
        if job is None:
            return outcomes
        if ignore_backoff:
            SyncJob.objects.filter(pk=job.pk).update(not_before=job.created_at)
        outcomes.append(sync_job_run(job_id=job.pk, worker_id="test-worker"))
    if not drain:
        return outcomes
    raise AssertionError(f"jobs still pending after {limit} runs: {outcomes[-5:]}")
