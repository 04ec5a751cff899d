"""Fill every audit entry with who, from where and through which door, whoever writes it
(django-auditlog's signals or ``audit.services``), and set the door for the two ways in
that are not requests: management commands and Celery tasks (beat's included)."""

from __future__ import annotations

from functools import wraps

from auditlog.models import LogEntry
from celery.signals import task_postrun, task_prerun
from django.core.management.base import BaseCommand
from django.db.models.signals import pre_save

from audit.context import (
    AuditContext,
    Door,
    _current,
    audit_door,
    current_actor,
    current_address,
    current_door,
)

_task_tokens: dict[str, object] = {}


def _fill_entry(sender, instance: LogEntry, **kwargs) -> None:
    if instance.pk is not None:
        return
    data = dict(instance.additional_data or {})
    data.setdefault("door", current_door())
    instance.additional_data = data
    if instance.actor_id is None:
        actor = current_actor()
        if actor is not None:
            instance.actor = actor
            instance.actor_email = actor.email or None
    if instance.remote_addr is None:
        instance.remote_addr = current_address()


def _task_started(task_id=None, **kwargs) -> None:
    # A task run eagerly inside a request keeps the request's door and user.
    if _current.get() is None and task_id:
        _task_tokens[task_id] = _current.set(AuditContext(door=Door.WORKER))


def _task_ended(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)


def _command_door(execute):
    @wraps(execute)
    def wrapped(self, *args, **options):
        if _current.get() is not None:
            return execute(self, *args, **options)
        with audit_door(Door.COMMAND):
            return execute(self, *args, **options)

    wrapped.audit_door = True
    return wrapped


def connect() -> None:
    pre_save.connect(_fill_entry, sender=LogEntry, dispatch_uid="audit-fill-entry")
    task_prerun.connect(_task_started, dispatch_uid="audit-task-started", weak=False)
    task_postrun.connect(_task_ended, dispatch_uid="audit-task-ended", weak=False)
    # Django has no signal for "a command starts"; every command (call_command, manage.py,
    # createsuperuser, changepassword) passes through BaseCommand.execute.
    if not getattr(BaseCommand.execute, "audit_door", False):
        BaseCommand.execute = _command_door(BaseCommand.execute)
