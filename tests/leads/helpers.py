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


# Files whose columns only a reader of Ukrainian, or of the values, can place. The order
# ids of UNNAMED_CSV would each read as a valid Kyiv number.
UA_NUMBERS = ["050 123 4567", "067 234 5678", "093 345 6789", "+380 44 456 7890", "063 111 2233"]
UA_NAMED_CSV = "Ім'я,Телефон\n" + "".join(
    f"{name},{phone}\n"
    for name, phone in zip(["Олена", "Тарас", "Ірина", "Богдан", "Оксана"], UA_NUMBERS, strict=True)
)
UNNAMED_CSV = "col1,col2,col3\n" + "".join(
    f"{order},{name},{phone}\n"
    for order, name, phone in zip(
        ["442345671", "442345672", "442345679", "442345680", "442345688"],
        ["Olena", "Taras", "Iryna", "Bohdan", "Oksana"],
        UA_NUMBERS,
        strict=True,
    )
)
NO_PHONE_CSV = "col1,col2\n1001,Olena\n1002,Taras\n1003,Iryna\n"
