"""Staged rows into leads, set-based.

Rows reach ``leads_importstagingrow`` by COPY on PostgreSQL and by ``executemany`` on
SQLite; everything after that is the same SQL on both: mark DNC numbers, repeats within
the file and numbers already in scope, then one INSERT … SELECT for the rest. Only the
rejected rows are ever UPDATEd, so a clean million-row file costs one scan per step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from audit.context import current_actor, current_door
from audit.models import LeadChangeKind
from audit.services import INT_PARAM, json_object_sql
from leads.dnc_hashed import LOOKUP_CHUNK, hashed_dnc_listed
from leads.importing.rows import StagedLead
from leads.models import DncHashedEntry, DuplicatePolicy, RejectReason

STAGING_TABLE = "leads_importstagingrow"
STAGING_COLUMNS = (
    "job_id",
    "row_number",
    "phone",
    "alternate_phones",
    "first_name",
    "last_name",
    "email",
    "timezone",
    "custom_fields",
    "priority",
    "expires_on",
    "outcome",
)

# Staging outcomes; '' means "to be imported".
DNC, DUP_FILE, DUP_EXISTING, UPDATED = "dnc", "dup_file", "dup_existing", "updated"
_REJECTION_DETAIL = {
    DNC: (RejectReason.DNC, "The number is on the do-not-call list."),
    DUP_FILE: (RejectReason.DUPLICATE, "The number repeats an earlier row of this file."),
    DUP_EXISTING: (RejectReason.DUPLICATE, "The number is already a lead in the chosen scope."),
}


def staging_write(*, job_id: int, rows: Sequence[StagedLead]) -> None:
    """Append rows to the staging table inside the caller's transaction."""
    if not rows:
        return
    columns = ", ".join(STAGING_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGING_TABLE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((job_id, *row, ""))
        else:
            placeholders = ", ".join(["%s"] * len(STAGING_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {STAGING_TABLE} ({columns}) VALUES ({placeholders})",  # noqa: S608
                [(job_id, *row[:-1], _iso(row[-1]), "") for row in rows],
            )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class LoadPlan:
    job_id: int
    lead_list_id: int
    policy: str
    # Lists whose leads count as "existing"; None means every list.
    scope_list_ids: list[int] | None
    dnc_scrub: bool
    dnc_campaign_ids: list[int]
    now: datetime


@dataclass(frozen=True)
class LoadResult:
    imported: int
    updated: int
    duplicates: int
    dnc: int
    outcomes: dict[int, str]  # row number -> staging outcome, when asked for


@dataclass(frozen=True)
class Span:
    """Which of a job's staged rows a step works on: all of them, or those whose staging
    id is in (after_id, up_to_id]. One process stages a job's rows chunk after chunk, so
    ids grow with row numbers; a span is one or more committed chunks."""

    job_id: int
    after_id: int = 0
    up_to_id: int | None = None

    def where(self, alias: str = "") -> tuple[str, list]:
        prefix = f"{alias}." if alias else ""
        if self.up_to_id is None:
            return f"{prefix}job_id = %s", [self.job_id]
        return (
            f"{prefix}job_id = %s AND {prefix}id > %s AND {prefix}id <= %s",
            [self.job_id, self.after_id, self.up_to_id],
        )


def staged_rows_load(plan: LoadPlan, *, collect_outcomes: bool = False) -> LoadResult:
    """Classify the job's staged rows, write leads and rejections, empty the staging rows.
    Runs in the caller's transaction."""
    imported = staged_span_load(plan, Span(plan.job_id))
    return staged_rows_close(plan, imported=imported, collect_outcomes=collect_outcomes)


def staged_span_classify(plan: LoadPlan, span: Span) -> None:
    """Mark the staged rows of ``span`` that are on the DNC list, repeat an earlier row of
    the file, or repeat a lead in scope. Spans classified one after another, in id order,
    end exactly as one classification of all the rows; classifying a row twice changes
    nothing (only rows still to be imported are looked at)."""
    now = connection.ops.adapt_datetimefield_value(plan.now)
    with connection.cursor() as cursor:
        if plan.dnc_scrub:
            _mark_dnc(cursor, plan, span, now)
        if plan.policy != DuplicatePolicy.KEEP_BOTH:
            _mark_repeats_in_file(cursor, span)
            _mark_existing(cursor, plan, span)


def staged_span_load(plan: LoadPlan, span: Span, *, classified: bool = False) -> int:
    """Classify the staged rows of ``span`` (unless that was done as they were staged),
    then update the existing leads they repeat (by the policy), write their leads in row
    order and their rejections. Returns the number of leads written."""
    if not classified:
        staged_span_classify(plan, span)
    now = connection.ops.adapt_datetimefield_value(plan.now)
    rows, params = span.where()
    with connection.cursor() as cursor:
        if plan.policy == DuplicatePolicy.UPDATE:
            _update_existing(cursor, plan, span, now)
        cursor.execute(
            f"INSERT INTO leads_lead (lead_list_id, phone, alternate_phones, first_name, "  # noqa: S608
            "last_name, email, timezone, custom_fields, priority, expires_on, status, "
            "import_job_id, source_row, created_at, updated_at) "
            "SELECT %s, phone, alternate_phones, first_name, last_name, email, timezone, "
            "custom_fields, priority, expires_on, 'new', job_id, row_number, %s, %s "
            f"FROM {STAGING_TABLE} WHERE {rows} AND outcome = '' ORDER BY row_number",
            [plan.lead_list_id, now, now, *params],
        )
        imported = cursor.rowcount
        _write_rejections(cursor, span)
    return imported


def staged_rows_close(plan: LoadPlan, *, imported: int, collect_outcomes: bool) -> LoadResult:
    """Count the outcomes of a job whose staged rows are all loaded, and empty them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT outcome, COUNT(*) FROM {STAGING_TABLE} WHERE job_id = %s GROUP BY outcome",  # noqa: S608
            [plan.job_id],
        )
        counts = dict(cursor.fetchall())
        outcomes = {}
        if collect_outcomes:
            cursor.execute(
                f"SELECT row_number, outcome FROM {STAGING_TABLE} WHERE job_id = %s",  # noqa: S608
                [plan.job_id],
            )
            outcomes = dict(cursor.fetchall())
        cursor.execute(f"DELETE FROM {STAGING_TABLE} WHERE job_id = %s", [plan.job_id])  # noqa: S608
    return LoadResult(
        imported=imported,
        updated=counts.get(UPDATED, 0),
        duplicates=counts.get(DUP_FILE, 0) + counts.get(DUP_EXISTING, 0),
        dnc=counts.get(DNC, 0),
        outcomes=outcomes,
    )


def staging_last_id(*, job_id: int, after_id: int) -> int | None:
    """The highest staging id of the job's committed rows past ``after_id``, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id) FROM {STAGING_TABLE} WHERE job_id = %s AND id > %s",  # noqa: S608
            [job_id, after_id],
        )
        return cursor.fetchone()[0]


def staging_analyze() -> None:
    """Fresh planner statistics for the staging table, on PostgreSQL. The rows arrived by
    COPY since autovacuum last looked, and without them the set-based steps are planned
    for a near-empty table. Call it outside the finishing transaction: ANALYZE holds a
    lock that would otherwise make concurrent finishes wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGING_TABLE}")


def staging_discard(*, job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAGING_TABLE} WHERE job_id = %s", [job_id])  # noqa: S608


def _in_list(values: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(values))


def _mark_dnc(cursor, plan: LoadPlan, span: Span, now) -> None:
    rows, params = span.where()
    scopes = ["scope = 'everywhere'", "(scope = 'list' AND lead_list_id = %s)"]
    params += [now, plan.lead_list_id]
    if plan.dnc_campaign_ids:
        scopes.append(
            f"(scope = 'campaign' AND campaign_id IN ({_in_list(plan.dnc_campaign_ids)}))"
        )
        params += plan.dnc_campaign_ids
    cursor.execute(
        f"UPDATE {STAGING_TABLE} SET outcome = '{DNC}' "  # noqa: S608
        f"WHERE {rows} AND outcome = '' AND phone IN ("
        "SELECT phone FROM leads_dncentry WHERE (expires_at IS NULL OR expires_at > %s) "
        f"AND ({' OR '.join(scopes)}))",
        params,
    )
    _mark_hashed_dnc(cursor, span)


def _mark_hashed_dnc(cursor, span: Span) -> None:
    """Rows whose number an erasure listed by its hash only (``leads.dnc_hashed``); one
    cheap existence check when there are none."""
    if not DncHashedEntry.objects.exists():
        return
    rows, params = span.where()
    cursor.execute(
        f"SELECT DISTINCT phone FROM {STAGING_TABLE} WHERE {rows} AND outcome = ''",  # noqa: S608
        params,
    )
    listed = sorted(hashed_dnc_listed([row[0] for row in cursor.fetchall()]))
    for start in range(0, len(listed), LOOKUP_CHUNK):
        chunk = listed[start : start + LOOKUP_CHUNK]
        cursor.execute(
            f"UPDATE {STAGING_TABLE} SET outcome = '{DNC}' "  # noqa: S608
            f"WHERE {rows} AND outcome = '' AND phone IN ({', '.join(['%s'] * len(chunk))})",
            [*params, *chunk],
        )


def _mark_repeats_in_file(cursor, span: Span) -> None:
    rows, params = span.where()
    cursor.execute(
        f"UPDATE {STAGING_TABLE} SET outcome = '{DUP_FILE}' WHERE id IN ("  # noqa: S608
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY phone ORDER BY row_number) "
        f"AS position FROM {STAGING_TABLE} WHERE {rows} AND outcome = '') AS ranked "
        "WHERE position > 1)",
        params,
    )
    if span.after_id:
        # Repeats of rows in the spans loaded before: any earlier row with the number that
        # was not a DNC row kept it (as a lead, or as the duplicate of an existing lead).
        # A probe per row (a scalar subquery with LIMIT is never turned into a join):
        # planned as a join, the earlier rows were read whole for every chunk. ``+ 0``
        # keeps the probe on (job_id, phone): the planner would AND it with the primary
        # key's range, every earlier row again.
        rows, params = span.where("s")
        cursor.execute(
            f"UPDATE {STAGING_TABLE} AS s SET outcome = '{DUP_FILE}' "  # noqa: S608
            f"WHERE {rows} AND s.outcome = '' AND (SELECT 1 FROM {STAGING_TABLE} AS e "
            f"WHERE e.job_id = s.job_id AND e.phone = s.phone AND e.id + 0 <= %s "
            f"AND e.outcome <> '{DNC}' LIMIT 1) IS NOT NULL",
            [*params, span.after_id],
        )


def _scope_condition(plan: LoadPlan, column: str) -> tuple[str, list]:
    if plan.scope_list_ids is None:
        return "1 = 1", []
    if not plan.scope_list_ids:
        return "1 = 0", []
    return f"{column} IN ({_in_list(plan.scope_list_ids)})", list(plan.scope_list_ids)


def _mark_existing(cursor, plan: LoadPlan, span: Span) -> None:
    scope, scope_params = _scope_condition(plan, "lead_list_id")
    # ``+ 0``: the probe must use the phone index only; ANDed with the list's index it
    # reads every lead of the list for each row.
    probe_scope, _ = _scope_condition(plan, "lead_list_id + 0")
    rows, params = span.where("s")
    outcome = UPDATED if plan.policy == DuplicatePolicy.UPDATE else DUP_EXISTING
    if span.up_to_id is None:  # all the job's rows: one set-based semi-join
        existing = (
            f"s.phone IN (SELECT phone FROM leads_lead WHERE status <> 'removed' AND {scope})"  # noqa: S608
        )
    else:
        # One chunk: a probe of the phone index per row. As a join, the planner read every
        # lead of the list for every chunk.
        existing = (
            "(SELECT 1 FROM leads_lead WHERE leads_lead.phone = s.phone "  # noqa: S608
            f"AND status <> 'removed' AND {probe_scope} LIMIT 1) IS NOT NULL"
        )
    # Leads this job wrote already (visible where one transaction classifies and loads)
    # hold numbers marked as repeats in the file just before this.
    cursor.execute(
        f"UPDATE {STAGING_TABLE} AS s SET outcome = %s WHERE {rows} AND s.outcome = '' "  # noqa: S608
        f"AND {existing}",
        [outcome, *params, *scope_params],
    )


def _update_existing(cursor, plan: LoadPlan, span: Span, now) -> None:
    # A non-empty value in the file replaces the lead's; custom fields are merged.
    merge = (
        "leads_lead.custom_fields || s.custom_fields"
        if connection.vendor == "postgresql"
        else "json_patch(leads_lead.custom_fields, s.custom_fields)"
    )
    # One chunk: ``+ 0`` keeps the planner from reading the list's index for each chunk.
    list_id = "leads_lead.lead_list_id" + (" + 0" if span.up_to_id is not None else "")
    scope, scope_params = _scope_condition(plan, list_id)
    rows, params = span.where("s")

    def keep_unless_empty(column: str, empty: str = "''") -> str:
        return f"CASE WHEN s.{column} = {empty} THEN leads_lead.{column} ELSE s.{column} END"

    new_values = {
        **{c: keep_unless_empty(c) for c in ("first_name", "last_name", "email", "timezone")},
        "alternate_phones": keep_unless_empty("alternate_phones", "'[]'"),
        "priority": keep_unless_empty("priority", "0"),
        "expires_on": "COALESCE(s.expires_on, leads_lead.expires_on)",
        "custom_fields": merge,
    }
    matched = (
        f"{rows} AND s.outcome = '{UPDATED}' AND s.phone = leads_lead.phone "
        f"AND leads_lead.status <> 'removed' AND {scope}"
    )
    _record_updates(cursor, new_values, matched, [*params, *scope_params], now)
    assignments = ", ".join(
        [*(f"{column} = {value}" for column, value in new_values.items()), "updated_at = %s"]
    )
    cursor.execute(
        f"UPDATE leads_lead SET {assignments} FROM {STAGING_TABLE} AS s WHERE {matched}",  # noqa: S608
        [now, *params, *scope_params],
    )


_JSON_COLUMNS = ("alternate_phones", "custom_fields")


def _record_updates(cursor, new_values: dict[str, str], matched: str, params: list, now) -> None:
    """Each lead the UPDATE is about to change gets a row in its history, old and new
    values side by side: one INSERT … SELECT over the same join, so a re-import of a
    million rows adds one statement per chunk, not a row of Python per lead. A lead the
    file leaves as it was gets none."""

    def as_json(column: str, expression: str) -> str:
        # SQLite keeps JSON as text: json() embeds it as an object, not a string.
        sqlite_json = connection.vendor == "sqlite" and column in _JSON_COLUMNS
        return f"json({expression})" if sqlite_json else expression

    before = json_object_sql({c: as_json(c, f"leads_lead.{c}") for c in new_values})
    # Only leads whose values change: a file imported again as it was writes no history.
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"({value}) {distinct} leads_lead.{c}" for c, value in new_values.items())
    after = json_object_sql({c: as_json(c, value) for c, value in new_values.items()})
    actor = current_actor()
    cursor.execute(
        "INSERT INTO audit_leadchange (lead_id, at, kind, actor_id, door, import_job_id, "  # noqa: S608
        f"before, after) SELECT leads_lead.id, %s, %s, {INT_PARAM}, %s, s.job_id, {before}, "
        f"{after} FROM {STAGING_TABLE} AS s, leads_lead WHERE {matched} AND ({changed})",
        [
            now,
            LeadChangeKind.IMPORT_UPDATE,
            actor.pk if actor else None,
            current_door(),
            *params,
        ],
    )


def _write_rejections(cursor, span: Span) -> None:
    reasons = " ".join(
        f"WHEN '{o}' THEN '{reason}'" for o, (reason, _) in _REJECTION_DETAIL.items()
    )
    details = " ".join(
        f"WHEN '{o}' THEN '{detail}'" for o, (_, detail) in _REJECTION_DETAIL.items()
    )
    rows, params = span.where()
    cursor.execute(
        "INSERT INTO leads_importrejection (job_id, row_number, reason, detail) "  # noqa: S608
        f"SELECT job_id, row_number, CASE outcome {reasons} END, CASE outcome {details} END "
        f"FROM {STAGING_TABLE} WHERE {rows} AND outcome IN ('{DNC}', '{DUP_FILE}', "
        f"'{DUP_EXISTING}')",
        params,
    )
