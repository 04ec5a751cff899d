"""Stored upload files: purged UPLOAD_RETENTION_DAYS after their job finished."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from leads.models import (
    DncFileJob,
    DncFileState,
    ImportJob,
)


def upload_files_purge(*, now=None) -> int:
    """Delete stored upload files (lead imports, DNC files) of jobs that finished more
    than UPLOAD_RETENTION_DAYS ago; the jobs, their counts and rejections stay. How many
    files went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    purged = 0
    imports = ImportJob.objects.filter(state__in=ImportJob.FINAL_STATES).exclude(file="")
    dnc_files = DncFileJob.objects.filter(
        state__in=(DncFileState.DONE, DncFileState.FAILED)
    ).exclude(file="")
    for jobs in (imports, dnc_files):
        ended = jobs.annotate(ended=Coalesce("finished_at", "created_at")).filter(ended__lt=cutoff)
        for job in ended.only("pk", "file"):
            job.file.delete(save=False)
            type(job).objects.filter(pk=job.pk).update(file="")
            purged += 1
    return purged
