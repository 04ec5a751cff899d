"""An erased number listed by its hash still blocks a re-import; stored upload files go
after UPLOAD_RETENTION_DAYS."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.importing.load import Span, _mark_hashed_dnc
from leads.models import DncEntry, DncFileJob, ImportJob, ImportState, Lead
from privacy.services import person_erase, person_read, upload_files_purge
from tests.leads.factories import LeadListFactory
from tests.leads.helpers import run_import

HEADER = "phone,first_name,last_name,email,timezone\n"


@pytest.fixture(autouse=True)
def lead_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_erased_number_hashed_on_the_dnc_list_is_refused_by_a_later_import(supervisor):
    lead_list = LeadListFactory(team=None)
    Lead.objects.create(lead_list=lead_list, phone="+12125550100", first_name="Ann")
    person_erase(person=person_read(phone="+12125550100"), acting_user=supervisor, dnc=True)
    assert not DncEntry.objects.exists()  # no number in clear
    job = run_import(lead_list, supervisor, HEADER + "(212) 555-0100,Ann,,,\n212-555-0101,Bo,,,\n")
    assert (job.imported_count, job.dnc_count) == (1, 1)
    assert list(lead_list.leads.exclude(phone="").values_list("phone", flat=True)) == [
        "+12125550101"
    ]


def test_a_dnc_scrub_switched_off_lets_the_hashed_number_through(supervisor):
    lead_list = LeadListFactory(team=None)
    person_erase(person=person_read(phone="+12125550100"), acting_user=supervisor, dnc=True)
    job = run_import(lead_list, supervisor, HEADER + "212-555-0100,Ann,,,\n", dnc_scrub=False)
    assert (job.imported_count, job.dnc_count) == (1, 0)


def test_upload_files_are_purged_after_the_retention_days(settings, db):
    settings.UPLOAD_RETENTION_DAYS = 30
    lead_list = LeadListFactory()
    now = timezone.now()
    old = ImportJob.objects.create(lead_list=lead_list, original_name="old.csv", state="done")
    old.file.save("old.csv", ContentFile(b"phone\n+12125550100\n"))
    recent = ImportJob.objects.create(lead_list=lead_list, original_name="new.csv", state="done")
    recent.file.save("new.csv", ContentFile(b"phone\n"))
    running = ImportJob.objects.create(
        lead_list=lead_list, original_name="run.csv", state=ImportState.RUNNING
    )
    running.file.save("run.csv", ContentFile(b"phone\n"))
    dnc_old = DncFileJob.objects.create(original_name="dnc.csv", state="done")
    dnc_old.file.save("dnc.csv", ContentFile(b"+12125550100\n"))
    ImportJob.objects.filter(pk__in=[old.pk, running.pk]).update(
        finished_at=now - timedelta(days=31), created_at=now - timedelta(days=32)
    )
    DncFileJob.objects.filter(pk=dnc_old.pk).update(finished_at=now - timedelta(days=31))
    old_path = old.file.path
    ImportJob.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=29))

    assert upload_files_purge(now=now) == 2
    old.refresh_from_db()
    recent.refresh_from_db()
    running.refresh_from_db()
    dnc_old.refresh_from_db()
    assert (old.file.name, dnc_old.file.name) == ("", "")
    assert recent.file.name and running.file.name
    assert not os.path.exists(old_path)


def test_without_hashed_entries_the_scrub_costs_one_existence_check(db):
    with connection.cursor() as cursor, CaptureQueriesContext(connection) as queries:
        _mark_hashed_dnc(cursor, Span(job_id=1))
    assert len(queries) == 1 and "leads_dnchashedentry" in queries[0]["sql"]


def test_the_beat_tasks_run_their_services(db, settings):
    from privacy import tasks

    assert settings.CELERY_BEAT_SCHEDULE["privacy-erasures-finish"]["task"] == (
        "privacy.tasks.erasures_finish"
    )
    assert tasks.erasures_finish.apply().get() == 0
    assert tasks.upload_files_purge.apply().get() == 0
