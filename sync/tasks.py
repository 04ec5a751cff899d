"""Thin Celery tasks: ids in, one service call."""

from __future__ import annotations

import os
import socket

from celery import shared_task

from sync import services
from sync.push_counts import push_counts_recount_all
from sync.services import reconcile
from sync.services.results import results_pull_all
from sync.window_gate import window_gate_all


@shared_task(bind=True, name="sync.tasks.sync_job_run", ignore_result=True)
def sync_job_run(self, job_id: int) -> str:
    worker = self.request.hostname or f"{socket.gethostname()}:{os.getpid()}"
    return services.sync_job_run(job_id=job_id, worker_id=f"{worker}:{os.getpid()}")


@shared_task(name="sync.tasks.sync_jobs_sweep", ignore_result=True)
def sync_jobs_sweep() -> dict:
    result = services.sync_jobs_sweep()
    return {"unstuck": result.unstuck, "published": result.published, "released": result.released}


@shared_task(name="sync.tasks.sync_pending_refresh_all", ignore_result=True)
def sync_pending_refresh_all() -> int:
    return services.sync_pending_refresh_all()


@shared_task(name="sync.tasks.sync_push_counts_recount", ignore_result=True)
def sync_push_counts_recount() -> int:
    return push_counts_recount_all()


@shared_task(name="sync.tasks.sync_reconcile_all", ignore_result=True)
def sync_reconcile_all() -> int:
    return reconcile.sync_reconcile_all()


@shared_task(name="sync.tasks.sync_results_pull_all", ignore_result=True)
def sync_results_pull_all() -> int:
    return results_pull_all()


@shared_task(name="sync.tasks.sync_window_gate_all", ignore_result=True)
def sync_window_gate_all() -> int:
    return window_gate_all()
