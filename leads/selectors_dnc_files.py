"""Reads for the do-not-call list's files: the uploads a user may see, their per-line
reports, and the list itself as a streamed CSV (constant memory, cells escaped against
formula injection by the rejected-rows report's own helper)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dialer_console.exports import Safe, Table, csv_lines, keyset_chunks
from leads.importing.report import BOM, csv_report_writer, escape_cell
from leads.models import DncFileJob, DncFileLine, DncLineOutcome, DncScope
from leads.selectors import campaign_names, dnc_active_q, dnc_entries_visible

_EXPORT_CHUNK = 2000
DNC_EXPORT_HEADER = [
    "phone", "scope", "campaign_id", "campaign", "lead_list_id", "lead_list", "reason",
    "source", "expires_at", "active", "created_by", "created_at",
]  # fmt: skip


def dnc_file_jobs_visible(*, user) -> QuerySet[DncFileJob]:
    """Supervisors see every upload; everyone else their own and those made for their
    team's lead lists."""
    jobs = DncFileJob.objects.select_related("lead_list", "created_by")
    if user.is_supervisor:
        return jobs
    visible = Q(created_by=user)
    if user.team_id is not None:
        visible |= Q(scope=DncScope.LIST, lead_list__team_id=user.team_id)
    return jobs.filter(visible)


def dnc_file_job_get(*, user, pk: int) -> DncFileJob:
    return get_object_or_404(dnc_file_jobs_visible(user=user), pk=pk)


def dnc_file_lines_not_added(*, job: DncFileJob, limit: int) -> list[DncFileLine]:
    """The lines that did not add a number (the ones a person has to look at), first
    ``limit`` in file order."""
    lines = job.lines.exclude(outcome__in=(DncLineOutcome.ADDED, DncLineOutcome.RENEWED))
    return list(lines.order_by("row_number")[:limit])


def dnc_file_report_csv(*, job: DncFileJob, delimiter: str) -> Iterator[str]:
    """Every line of an upload with its outcome, in file order."""
    writer = csv_report_writer(delimiter)
    yield BOM
    yield writer.writerow(["line", "number", "e164", "outcome", "detail"])
    for line in job.lines.order_by("row_number").iterator(chunk_size=_EXPORT_CHUNK):
        yield writer.writerow(
            [
                line.row_number,
                escape_cell(line.text),
                line.phone,  # verified E.164 or empty (see _export_row)
                line.get_outcome_display(),
                escape_cell(line.detail),
            ]
        )


def dnc_entries_for_export(*, user, now: datetime, scope: str = "", state: str = ""):
    """The entries the user may see, optionally of one scope and one state (active or
    expired), in a stable order for a download."""
    entries = dnc_entries_visible(user=user)
    if scope:
        entries = entries.filter(scope=scope)
    if state == "active":
        entries = entries.filter(dnc_active_q(now=now))
    elif state == "expired":
        entries = entries.filter(expires_at__lte=now)
    return entries.order_by("id")


def dnc_entries_table(*, user, now: datetime, scope="", state="") -> Table:
    """The do-not-call list the user may see as a download: an entry a row, read by
    keyset chunks so memory stays constant on any size of list."""
    entries = dnc_entries_for_export(user=user, now=now, scope=scope, state=state)
    names = campaign_names(
        campaign_ids=set(entries.exclude(campaign_id=None).values_list("campaign_id", flat=True))
    )
    rows = (
        _export_row(entry, names, now)
        for chunk in keyset_chunks(entries, size=_EXPORT_CHUNK)
        for entry in chunk
    )
    return Table(f"do-not-call-{timezone.localdate():%Y-%m-%d}", DNC_EXPORT_HEADER, rows)


def dnc_entries_csv(*, user, now: datetime, delimiter: str, scope="", state="") -> Iterator[str]:
    table = dnc_entries_table(user=user, now=now, scope=scope, state=state)
    return csv_lines(table, delimiter=delimiter)


def _export_row(entry, names: dict[int, str], now: datetime) -> list:
    # The phone is verified E.164 ("+" and digits only): no formula can hide in it, and an
    # apostrophe would show in the spreadsheet. The writer escapes every other text cell.
    return [
        Safe(entry.phone),
        entry.scope,
        entry.campaign_id or "",
        names.get(entry.campaign_id, "") if entry.campaign_id else "",
        entry.lead_list_id or "",
        entry.lead_list.name if entry.lead_list_id else "",
        entry.reason,
        entry.source,
        entry.expires_at,
        entry.is_active_at(now),
        entry.created_by.username if entry.created_by_id else "",
        entry.created_at,
    ]
