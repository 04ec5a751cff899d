"""Thin Celery tasks: an id in, one service call."""

from celery import shared_task


@shared_task(name="leads.tasks.lead_import_run")
def lead_import_run(job_id: int) -> None:
    from leads.services import lead_import_run as run

    run(job_id=job_id)


@shared_task(name="leads.tasks.lead_import_sweep")
def lead_import_sweep() -> int:
    """Lead imports, do-not-call files and bulk runs whose worker stopped: resumed or
    failed."""
    from leads.services import import_sweep_stale
    from leads.services.bulk_runs import lead_bulk_run_sweep_stale
    from leads.services.dnc_files import dnc_file_sweep_stale

    return import_sweep_stale() + dnc_file_sweep_stale() + lead_bulk_run_sweep_stale()


@shared_task(name="leads.tasks.dnc_file_run")
def dnc_file_run(job_id: int) -> None:
    from leads.services.dnc_files import dnc_file_run as run

    run(job_id=job_id)


@shared_task(name="leads.tasks.lead_bulk_run")
def lead_bulk_run(run_id: int) -> None:
    from leads.services.bulk_runs import lead_bulk_run_execute

    lead_bulk_run_execute(run_id=run_id)
