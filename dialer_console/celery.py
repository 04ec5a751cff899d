"""The Celery application. Tasks carry only ids; the database holds the truth."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialer_console.settings")

app = Celery("dialer_console")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _announce_ready(**kwargs) -> None:
    # `dev.py start` waits for this file before it prints the URL and the demo logins.
    ready_file = os.environ.get("CELERY_WORKER_READY_FILE")
    if ready_file:
        Path(ready_file).touch()
