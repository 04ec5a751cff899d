"""Reading the audit trail: the filtered list, one object's entries, the CSV export.
Supervisors only (the views check ``auditlog.view_logentry``, which only the Supervisor
role holds): an entry of a team's object can name other teams' users and lists, so team
leads see none."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.context import Door
from audit.registry import audited_models
from dialer_console.keyset import Column, Sorting
from leads.importing.report import BOM, csv_report_writer, escape_cell
from leads.models import Lead

AUDIT_SORTING = Sorting(
    columns=(Column("when", gettext_lazy("When"), "timestamp", descending_first=True),),
    default="-when",
)
OBJECT_ENTRIES_SHOWN = 20
ACTIONS = dict(LogEntry.Action.choices)


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    content_type_id: int | None = None
    object_pk: str = ""
    door: str = ""
    since: date | None = None
    until: date | None = None


def audited_content_types() -> list[ContentType]:
    """The object types entries are about (leads: their bulk actions)."""
    by_model = ContentType.objects.get_for_models(*audited_models(), Lead)
    return sorted(by_model.values(), key=str)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, filters: AuditFilters) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type")
    if filters.actor_id:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.content_type_id:
        entries = entries.filter(content_type_id=filters.content_type_id)
    if filters.object_pk:
        entries = entries.filter(object_pk=filters.object_pk)
    if filters.door:
        entries = entries.filter(additional_data__door=filters.door)
    if filters.since:
        entries = entries.filter(timestamp__gte=_day_start(filters.since))
    if filters.until:
        entries = entries.filter(timestamp__lt=_day_start(filters.until + timedelta(days=1)))
    return entries


def audit_filters_for(instance: Model) -> AuditFilters:
    content_type = ContentType.objects.get_for_model(instance)
    return AuditFilters(content_type_id=content_type.pk, object_pk=str(instance.pk))


def audit_rows_for(*, instance: Model, limit: int = OBJECT_ENTRIES_SHOWN) -> list[AuditRow]:
    """The newest entries of one object (the full list is the audit page, filtered)."""
    entries = audit_entries(filters=audit_filters_for(instance))
    return audit_rows(list(entries.order_by("-timestamp", "-id")[:limit]))


def entry_door(entry: LogEntry) -> str:
    door = (entry.additional_data or {}).get("door", "")
    return Door(door).label if door in Door.values else "unknown"


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field label, old, new) of every change the entry records, as text. A new row's
    empty fields are left out: "(empty) → (empty)" says nothing."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, value in (entry.changes or {}).items():
        label = _field_label(model, name)
        if isinstance(value, dict):  # a many-to-many change
            objects = ", ".join(map(str, value.get("objects", [])))
            rows.append((label, value.get("operation", ""), objects))
        elif isinstance(value, (list, tuple)) and len(value) == 2:
            old, new = _text(value[0]), _text(value[1])
            if entry.action == LogEntry.Action.CREATE and new == EMPTY:
                continue
            rows.append((label, old, new))
    return rows


EMPTY = "(empty)"


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (AttributeError, LookupError, FieldDoesNotExist):
        return name.replace("_", " ")


def _text(value) -> str:
    if value in (None, "None", "", [], {}):
        return EMPTY
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def entry_bulk(entry: LogEntry) -> dict:
    return (entry.additional_data or {}).get("bulk") or {}


AUDIT_CSV_HEADER = [
    "id",
    "when",
    "who",
    "address",
    "door",
    "action",
    "object type",
    "object id",
    "object",
    "changes",
    "bulk count",
    "bulk ids",
]


def audit_entries_csv(*, filters: AuditFilters) -> Iterator[str]:
    """Every entry the filters select, newest first, as CSV lines (a BOM first, every
    text cell escaped against formula injection)."""
    writer = csv_report_writer(",")
    yield BOM
    yield writer.writerow(AUDIT_CSV_HEADER)
    entries = audit_entries(filters=filters).order_by("-timestamp", "-id")
    for entry in entries.iterator(chunk_size=2000):
        bulk = entry_bulk(entry)
        changes = "; ".join(f"{name}: {old} → {new}" for name, old, new in entry_changes(entry))
        cells = [
            entry.actor.username if entry.actor_id else "",
            entry.remote_addr or "",
            entry_door(entry),
            ACTIONS.get(entry.action, ""),
            str(entry.content_type),
            entry.object_pk,
            entry.object_repr,
            changes,
        ]
        ids = " ".join(map(str, bulk.get("ids", [])))
        yield writer.writerow(
            [
                entry.pk,
                entry.timestamp.isoformat(),
                *map(escape_cell, cells),
                bulk.get("count", ""),
                ids,
            ]
        )


@dataclass(frozen=True)
class AuditRow:
    entry: LogEntry
    action: str
    door: str
    changes: list[tuple[str, str, str]]
    bulk: dict


def audit_rows(entries: list[LogEntry]) -> list[AuditRow]:
    return [
        AuditRow(
            entry=entry,
            action=ACTIONS.get(entry.action, ""),
            door=entry_door(entry),
            changes=entry_changes(entry),
            bulk=entry_bulk(entry),
        )
        for entry in entries
    ]
