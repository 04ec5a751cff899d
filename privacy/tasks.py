from celery import shared_task

from privacy import services


@shared_task
def erasures_finish() -> int:
    return services.erasures_finish()


@shared_task
def upload_files_purge() -> int:
    return services.upload_files_purge()
