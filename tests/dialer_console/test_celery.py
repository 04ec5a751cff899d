"""The Celery app: reliable delivery settings, a real worker on the embedded broker and on
Redis, and beat's schedule in the database."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from dialer_console.celery import app
from dialer_console.models import WorkerHeartbeat
from dialer_console.services import worker_status
from dialer_console.tasks import worker_heartbeat


def test_delivery_survives_a_lost_worker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _run_heartbeat_through(broker_url: str, transport_options: dict) -> None:
    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = transport_options
    app._pool = None
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # The worker recorded itself when it was ready; the task's own beat comes later.
            sent_at = timezone.now()
            worker_heartbeat.delay()
            ran = WorkerHeartbeat.objects.filter(seen_at__gte=sent_at).exists
            assert _wait_for(ran), "the worker never ran the task"
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = previous
        app._pool = None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_tasks_on_the_embedded_filesystem_broker(tmp_path):
    folder, control = tmp_path / "queue", tmp_path / "control"
    folder.mkdir()
    control.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(control),
        "polling_interval": 0.1,
    }
    _run_heartbeat_through("filesystem://", options)
    assert worker_status().alive


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_tasks_on_redis(redis_url):
    _run_heartbeat_through(redis_url, {"visibility_timeout": 3600})
    assert worker_status().alive


@pytest.mark.django_db
def test_a_worker_is_seen_as_soon_as_it_is_ready():
    from celery.signals import worker_ready

    class Consumer:  # what the signal's sender gives the receiver: the worker's name
        hostname = "celery@console-1"

    assert not worker_status().alive
    worker_ready.send(sender=Consumer())
    status = worker_status()
    assert status.alive and status.hostnames == ("celery@console-1",)


# The scheduler calls close_old_connections(), which closes a connection that is inside
# a test's wrapping transaction: this test commits for real instead.
@pytest.mark.django_db(transaction=True)
def test_beat_schedule_is_stored_by_the_database_scheduler():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    DatabaseScheduler(app=app)
    stored = set(PeriodicTask.objects.values_list("task", flat=True))
    expected = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert expected <= stored


@pytest.mark.django_db
def test_worker_status_goes_stale():
    from datetime import timedelta

    from django.utils import timezone

    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - timedelta(minutes=5))
    assert worker_status().alive is False
    WorkerHeartbeat.objects.create(hostname="w2", seen_at=timezone.now())
    assert worker_status().hostnames == ("w2",)
