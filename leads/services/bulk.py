"""Bulk add of leads sent as JSON (the API), through the same staging and finish as a
file import, so the same dedupe, DNC scrub and undo apply."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.importing import load
from leads.importing.mapping import ALTERNATE_KINDS
from leads.importing.reader import RawRow
from leads.importing.rows import (
    Rejection,
    RowMapper,
    StagedLead,
    custom_fields_json,
    integer_range,
)
from leads.models import DuplicatePolicy, DuplicateScope, ImportJob, ImportState, Lead, LeadList
from leads.phones import phone_normalise
from leads.services.duplicate_scope import duplicate_scope_check, duplicate_scope_list_ids
from leads.services.import_run import import_finish

BULK_MAX_LEADS = 10_000
_COLUMNS = ("phone", "first_name", "last_name", "email", "timezone", "priority", "expires_on")


@dataclass(frozen=True)
class BulkRowResult:
    index: int
    outcome: str  # imported, updated, duplicate, dnc, invalid_phone, malformed
    lead_id: int | None = None
    message: str = ""


_OUTCOME_NAMES = {
    "": "imported",
    load.UPDATED: "updated",
    load.DUP_FILE: "duplicate",
    load.DUP_EXISTING: "duplicate",
    load.DNC: "dnc",
}


def leads_bulk_add(
    *,
    lead_list: LeadList,
    leads: list[dict],
    acting_user,
    duplicate_policy: str = DuplicatePolicy.SKIP,
    duplicate_scope: str = DuplicateScope.LIST,
    scope_campaign_id: int | None = None,
    dnc_scrub: bool = True,
    country: str = "",
) -> tuple[ImportJob, list[BulkRowResult]]:
    """Add up to BULK_MAX_LEADS leads; one result per input row, in input order.
    Duplicates are looked for, and updated, only in lists ``acting_user`` may see."""
    if len(leads) > BULK_MAX_LEADS:
        raise ApplicationError(
            _("At most %(bulk_max_leads)s leads can be added at once.")
            % {"bulk_max_leads": format(BULK_MAX_LEADS, ",")}
        )
    duplicate_scope_check(
        duplicate_scope=duplicate_scope,
        scope_campaign_id=scope_campaign_id,
        acting_user=acting_user,
    )
    country = (country or lead_list.default_country).upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ApplicationError(
            _("country must be a two-letter ISO country code, not %(value)s.")
            % {"value": repr(country[:20])},
            {"field": "country"},
        )
    mapper = RowMapper(
        header=list(_COLUMNS),
        mapping=list(_COLUMNS),
        country=country,
        default_timezone=lead_list.default_timezone,
    )
    staged, rejected = [], []
    for row_number, data in enumerate(leads, start=1):
        result = _map_one(mapper, row_number, data, country)
        (rejected if isinstance(result, Rejection) else staged).append(result)
    with transaction.atomic():
        job = ImportJob.objects.create(
            lead_list=lead_list,
            original_name="API bulk add",
            file_format="json",
            default_country=country,
            duplicate_policy=duplicate_policy,
            duplicate_scope=duplicate_scope,
            scope_campaign_id=(
                scope_campaign_id if duplicate_scope == DuplicateScope.CAMPAIGN else None
            ),
            dnc_scrub=dnc_scrub,
            state=ImportState.RUNNING,
            rows_total=len(leads),
            rows_read=len(leads),
            last_row_number=len(leads),
            invalid_phone_count=sum(r.reason == "invalid_phone" for r in rejected),
            malformed_count=sum(r.reason == "malformed" for r in rejected),
            created_by=acting_user,
            acting_user=acting_user,
            started_at=timezone.now(),
        )
        job.rejections.model.objects.bulk_create(
            [job.rejections.model(job=job, **r._asdict()) for r in rejected]
        )
        load.staging_write(job_id=job.pk, rows=staged)
        outcome = import_finish(job=job, collect_outcomes=True)
        results = _results(job, staged, rejected, outcome.outcomes)
    return job, results


def _map_one(mapper: RowMapper, row_number: int, data: dict, country: str):
    fields = ["" if data.get(c) is None else str(data.get(c)) for c in _COLUMNS]
    result = mapper.map(RawRow(row_number, fields, ""))
    if isinstance(result, Rejection):
        return result
    try:
        alternates = _alternates(data.get("alternate_phones") or (), country)
        custom_fields = custom_fields_json(data.get("custom_fields") or {})
    except _InvalidAlternate as error:
        return Rejection(row_number, "invalid_phone", str(error))
    except ValueError as error:
        return Rejection(row_number, "malformed", str(error))
    return result._replace(alternate_phones=json.dumps(alternates), custom_fields=custom_fields)


class _InvalidAlternate(ValueError):
    pass


def _alternates(items, country: str) -> list[dict]:
    """Alternate phones as stored, each checked like the lead's own fields."""
    if not isinstance(items, list | tuple):
        raise ValueError(_("alternate_phones must be a list."))
    alternates = []
    low, high = integer_range("priority")
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(_("Each alternate phone must be an object with a phone."))
        normalised = phone_normalise(str(item.get("phone", ""))[:100], country)
        if normalised is None:
            shown = str(item.get("phone"))[:40]
            raise _InvalidAlternate(
                _("Alternate phone %(phone)s is not valid.") % {"phone": repr(shown)}
            )
        kind = item.get("kind") or "other"
        if kind not in ALTERNATE_KINDS:
            raise ValueError(
                _("Alternate phone kind must be one of %(kinds)s.")
                % {"kinds": ", ".join(ALTERNATE_KINDS)}
            )
        priority = item.get("priority") or len(alternates) + 1
        if not isinstance(priority, int) or not low <= priority <= high:
            raise ValueError(
                _("An alternate phone's priority must be %(low)s to %(high)s.")
                % {
                    "low": number_format(low, force_grouping=True),
                    "high": number_format(high, force_grouping=True),
                }
            )
        alternates.append({"phone": normalised.e164, "kind": kind, "priority": priority})
    return alternates


def _results(
    job: ImportJob, staged: list[StagedLead], rejected: list[Rejection], outcomes: dict[int, str]
) -> list[BulkRowResult]:
    by_row: dict[int, BulkRowResult] = {
        r.row_number: BulkRowResult(r.row_number - 1, r.reason, None, r.detail) for r in rejected
    }
    created = dict(Lead.objects.filter(import_job=job).values_list("source_row", "id"))
    updated_ids = _updated_lead_ids(job, staged, outcomes)
    for row_number, staged_outcome in outcomes.items():
        lead_id = created.get(row_number) or updated_ids.get(row_number)
        by_row[row_number] = BulkRowResult(row_number - 1, _OUTCOME_NAMES[staged_outcome], lead_id)
    return [by_row[row_number] for row_number in sorted(by_row)]


def _updated_lead_ids(
    job: ImportJob, staged: list[StagedLead], outcomes: dict[int, str]
) -> dict[int, int]:
    """The lead each "updated" row updated (the lowest id when several share the number)."""
    phones = {
        row.row_number: row.phone for row in staged if outcomes.get(row.row_number) == load.UPDATED
    }
    if not phones:
        return {}
    leads = Lead.objects.filter(phone__in=set(phones.values())).exclude(status="removed")
    scope = duplicate_scope_list_ids(job=job)
    if scope is not None:
        leads = leads.filter(lead_list_id__in=scope)
    first_id: dict[str, int] = {}
    for phone, lead_id in leads.order_by("-id").values_list("phone", "id"):
        first_id[phone] = lead_id
    return {row_number: first_id.get(phone) for row_number, phone in phones.items()}
