"""Thin Celery tasks: one service call."""

from __future__ import annotations

from celery import shared_task

from results.kept_counts import result_counts_recount_all
from results.recycling.apply import recycle_due_run


@shared_task(name="results.tasks.results_counts_recount", ignore_result=True)
def results_counts_recount() -> dict[int, int]:
    return result_counts_recount_all()


@shared_task(name="results.tasks.results_recycle_due", ignore_result=True)
def results_recycle_due() -> int:
    return recycle_due_run()
