import pytest

from leads import tasks
from leads.models import ImportState
from tests.leads.factories import LeadListFactory
from tests.leads.helpers import upload

pytestmark = pytest.mark.django_db


def test_the_task_runs_the_import_service(team_lead):
    job = upload(LeadListFactory(team=team_lead.team), team_lead, "Phone\n212-555-0100\n")
    job.state = ImportState.QUEUED
    job.save()
    tasks.lead_import_run.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportState.DONE and job.imported_count == 1


def test_the_sweep_task_returns_how_many_jobs_it_swept(db):
    assert tasks.lead_import_sweep.apply().get() == 0


def test_starting_an_import_enqueues_after_commit(
    team_lead, django_capture_on_commit_callbacks, monkeypatch
):
    from leads import services

    sent = []
    monkeypatch.setattr(tasks.lead_import_run, "delay", lambda job_id: sent.append(job_id))
    job = upload(LeadListFactory(team=team_lead.team), team_lead, "Phone\n212-555-0100\n")
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(job=job)
        assert sent == []
    assert sent == [job.pk]
