"""The Celery application. Tasks carry only ids; the database holds the truth."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialer_console.settings")

app = Celery("dialer_console")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
