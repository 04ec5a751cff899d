"""Running an import end to end from a test, the way the pages do."""

from leads import services
from leads.models import ImportJob
from tests.leads.factories import csv_upload


def upload(lead_list, user, text, name="leads.csv", encoding="utf-8") -> ImportJob:
    return services.import_job_create(
        lead_list=lead_list, upload=csv_upload(text, name, encoding), acting_user=user
    )


def run_import(lead_list, user, text, *, mapping=None, **policy) -> ImportJob:
    job = upload(lead_list, user, text)
    services.import_job_configure(
        job=job,
        mapping=mapping or job.mapping,
        default_country=policy.pop("default_country", lead_list.default_country),
        acting_user=policy.pop("acting_user", user),
        **policy,
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    return job
