"""Audit entries the model signals cannot see: bulk changes (queryset ``update``,
``bulk_create``, raw SQL) and the per-lead history written beside them. A bulk action is
one entry with its counts and the ids it touched (the first ``BULK_IDS_KEPT``) or the
filter it applied, never a row per lead; the per-lead rows go to ``LeadChange``, one
INSERT … SELECT per batch."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from datetime import timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from audit.context import current_actor, current_door
from audit.models import LeadChange

BULK_IDS_KEPT = 1000


def audit_record(
    *, instance: Model, action: int = LogEntry.Action.UPDATE, changes: dict, note: str = ""
) -> LogEntry:
    """One entry for ``instance`` that its save signal did not write (its child rows were
    replaced in bulk, say): ``changes`` is field -> [old, new]."""
    extra = {"note": note} if note else {}
    return LogEntry.objects.log_create(
        instance, force_log=True, action=action, changes=changes, additional_data=extra
    )


@contextlib.contextmanager
def audit_children_replaced(*, instance: Model, name: str):
    """Inside, ``instance``'s related rows ``name`` are deleted and created again in bulk:
    one entry on ``instance`` says how the set changed (none when it did not), instead of
    a delete entry per old row and nothing for the new ones (``bulk_create`` sends no
    signal)."""
    related = getattr(instance, name)
    before = [str(row) for row in related.all()]
    with disable_auditlog():
        yield
    after = [str(row) for row in related.all()]
    if before != after:
        audit_record(instance=instance, changes={name: [before, after]})


def audit_bulk(
    *,
    model: type[Model],
    action: str,
    count: int,
    ids: Sequence[int] = (),
    filters: dict | None = None,
    changes: dict | None = None,
    summary: str = "",
    actor=None,
) -> LogEntry:
    """One entry for a change to ``count`` rows of ``model`` made in one statement."""
    ids = sorted(ids)
    bulk = {"action": action, "count": count, "ids": ids[:BULK_IDS_KEPT]}
    if len(ids) > BULK_IDS_KEPT:
        bulk["ids_truncated"] = True
    if filters:
        bulk["filters"] = filters
    label = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=summary or f"{count:,} {label}",
        action=LogEntry.Action.UPDATE,
        changes=changes or {},
        additional_data={"bulk": bulk},
    )
    if actor is not None:
        entry.actor = actor
    entry.save()
    return entry


_LEAD_FIELDS = ("lead_list_id", "status")


def lead_changes_record(
    *,
    ids: Iterable[int],
    kind: str,
    after: dict,
    actor=None,
    bulk_run_id: int | None = None,
    import_job_id: int | None = None,
) -> int:
    """Per-lead rows for a change about to be applied to leads ``ids``: each lead's
    current value of every field in ``after`` (one of ``_LEAD_FIELDS``) beside its new
    one, written by one INSERT … SELECT. Call it before the UPDATE."""
    ids = list(ids)
    if not ids:
        return 0
    fields = [name for name in after if name in _LEAD_FIELDS]
    before = json_object_sql({name: f"leads_lead.{name}" for name in fields})
    actor = actor or current_actor()
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_leadchange (lead_id, at, kind, actor_id, door, import_job_id, "  # noqa: S608
            "bulk_run_id, before, after) "
            f"SELECT id, %s, %s, {INT_PARAM}, %s, {INT_PARAM}, {INT_PARAM}, {before}, "
            f"{json_param()} FROM leads_lead "
            f"WHERE id IN ({placeholders})",
            [
                connection.ops.adapt_datetimefield_value(timezone.now()),
                kind,
                actor.pk if actor else None,
                current_door(),
                import_job_id,
                bulk_run_id,
                _json_text(after),
                *ids,
            ],
        )
        return cursor.rowcount


def _json_text(value: dict) -> str:
    return json.dumps(value, default=str)


# A parameter in a SELECT list has no type on PostgreSQL (it reads as text); the columns
# it fills are bigint and jsonb.
INT_PARAM = "CAST(%s AS bigint)"


def json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def json_object_sql(columns: dict[str, str]) -> str:
    """A JSON object of the given SQL expressions, on PostgreSQL and SQLite alike."""
    function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    pairs = ", ".join(f"'{key}', {expression}" for key, expression in columns.items())
    return f"{function}({pairs})"


def audit_prune(*, now=None) -> int:
    """Delete entries (and lead history rows) older than ``AUDIT_RETENTION_DAYS``."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    changes, _ = LeadChange.objects.filter(at__lt=cutoff).delete()
    return deleted + changes
