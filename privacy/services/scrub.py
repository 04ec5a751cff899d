"""Free text that may quote the person: found by any needle, case aside, and rewritten
with each needle replaced by "(erased)"."""

from __future__ import annotations

import re

from django.apps import apps
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from privacy.registry import ERASED, SCRUBBED, personal_fields
from sync.models import OPEN_STATES, LeadSyncState

# A dialer may hold a lead in these states (PENDING: queued for one).
HELD_STATES = (LeadSyncState.PENDING, LeadSyncState.SENDING, LeadSyncState.PUSHED)


def _text_match(field: str, needles: list[str], is_json: bool) -> tuple[Q, dict]:
    column = f"_privacy_{field}"
    annotation = {column: Cast(field, TextField())} if is_json else {}
    name = column if is_json else field
    match = Q(pk__in=[])
    for needle in needles:
        match |= Q(**{f"{name}__icontains": needle})
    return match, annotation


def rows_mentioning(model, fields: list[str], needles: list[str]) -> QuerySet:
    """Rows of ``model`` whose ``fields`` contain any of ``needles`` (case aside)."""
    queryset = model._base_manager.all()
    match = Q(pk__in=[])
    for field in fields:
        is_json = model._meta.get_field(field).get_internal_type() == "JSONField"
        condition, annotation = _text_match(field, needles, is_json)
        queryset = queryset.annotate(**annotation)
        match |= condition
    return queryset.filter(match) if needles else queryset.none()


def _replacer(needles: list[str]):
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)

    def replace(value):
        if isinstance(value, str):
            return pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [replace(item) for item in value]
        if isinstance(value, dict):
            return {replace(key): replace(item) for key, item in value.items()}
        return value

    return replace


# Rows the sync still needs as they are while a dialer holds the person's lead: the open
# removal jobs (their payload carries the number) and the rows naming the remote member.
_WHILE_HELD = {
    "sync.SyncJob": Q(state__in=OPEN_STATES),
    "sync.LeadSync": Q(state__in=HELD_STATES),
}


# Tables with a row per lead (tens of millions: leads times campaigns) are searched among
# the person's leads' rows only: a row there speaks of its own lead.
_PER_LEAD = {"sync.LeadSync"}


def scrubbed_rows(label: str, needles: list[str], lead_ids: list[int]) -> QuerySet:
    model = apps.get_model(label)
    rows = rows_mentioning(model, personal_fields(SCRUBBED)[label], needles)
    return rows.filter(lead_id__in=lead_ids) if label in _PER_LEAD else rows


def scrub_text(*, needles: list[str], lead_ids: list[int], keep_sync_rows: bool) -> dict:
    """Replace ``needles`` by "(erased)" in every SCRUBBED column of the registry; rows
    changed per model. Each row is rewritten through an UPDATE of its own columns (no
    model signals: an audit entry of the scrub would repeat what it removed)."""
    if not needles:
        return {}
    replace = _replacer(needles)
    counts = {}
    for label, fields in personal_fields(SCRUBBED).items():
        model = apps.get_model(label)
        rows = scrubbed_rows(label, needles, lead_ids)
        if keep_sync_rows and label in _WHILE_HELD:
            rows = rows.exclude(_WHILE_HELD[label])
        changed = 0
        for row in rows.values("pk", *fields):
            values = {field: replace(row[field]) for field in fields}
            changed += model._base_manager.filter(pk=row["pk"]).update(**values)
        if changed:
            counts[label] = changed
    return counts
