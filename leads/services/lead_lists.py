"""Lead lists, their counts and mapping templates."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, ProtectedError, Sum
from django.utils.translation import gettext

from dialer_console.errors import ApplicationError
from leads.models import (
    ImportJob,
    ImportState,
    Lead,
    LeadList,
    LeadStatus,
    MappingTemplate,
)

LEAD_LIST_FIELDS = ("name", "description", "team", "default_country", "default_timezone")


def lead_list_create(*, data: dict, acting_user) -> LeadList:
    lead_list = LeadList(created_by=acting_user)
    return lead_list_update(lead_list=lead_list, data=data, acting_user=acting_user)


def lead_list_update(*, lead_list: LeadList, data: dict, acting_user) -> LeadList:
    """Team leads always own what they save: only a supervisor picks another team."""
    for field in LEAD_LIST_FIELDS:
        if field in data:
            setattr(lead_list, field, data[field])
    if not acting_user.is_supervisor:
        lead_list.team = acting_user.team
    lead_list.default_country = (lead_list.default_country or "").upper()
    lead_list.full_clean(exclude=["created_by"])
    lead_list.save()
    return lead_list


def lead_list_delete(*, lead_list: LeadList) -> None:
    if lead_list.imports.filter(state__in=ImportJob.ACTIVE_STATES).exists():
        raise ApplicationError(
            gettext("An import into this list is still running; wait for it to end.")
        )
    try:
        with transaction.atomic():
            lead_list.delete()
    except ProtectedError as error:
        users = sorted({str(obj) for obj in error.protected_objects})[:5]
        raise ApplicationError(
            gettext("This list is still in use (%(value)s); remove it from there first.")
            % {"value": ", ".join(users)}
        ) from error


def lead_list_counts_refresh(*, lead_list: LeadList) -> LeadList:
    """Recount once per change (an import, an undo, a bulk add), so pages read columns.
    Rejected rows are counted from the imports that are still in effect."""
    by_status = dict(
        Lead.objects.filter(lead_list=lead_list)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rejected = ImportJob.objects.filter(lead_list=lead_list, state=ImportState.DONE).aggregate(
        invalid=Sum("invalid_phone_count"),
        malformed=Sum("malformed_count"),
        duplicates=Sum("duplicate_count"),
        dnc=Sum("dnc_count"),
    )
    lead_list.total_count = sum(
        count for status, count in by_status.items() if status != LeadStatus.REMOVED
    )
    lead_list.valid_count = by_status.get(LeadStatus.NEW, 0)
    lead_list.invalid_count = (
        by_status.get(LeadStatus.INVALID, 0)
        + (rejected["invalid"] or 0)
        + (rejected["malformed"] or 0)
    )
    lead_list.duplicate_count = rejected["duplicates"] or 0
    lead_list.dnc_count = by_status.get(LeadStatus.DNC, 0) + (rejected["dnc"] or 0)
    LeadList.objects.filter(pk=lead_list.pk).update(
        total_count=lead_list.total_count,
        valid_count=lead_list.valid_count,
        invalid_count=lead_list.invalid_count,
        duplicate_count=lead_list.duplicate_count,
        dnc_count=lead_list.dnc_count,
    )
    return lead_list


def mapping_template_save(
    *, name: str, header: list[str], mapping: list[str], acting_user
) -> MappingTemplate:
    """Save a mapping by header name, so it applies to any file with those headers."""
    columns = {column.casefold(): target for column, target in zip(header, mapping, strict=True)}
    template, _ = MappingTemplate.objects.update_or_create(
        team=acting_user.team,
        name=name.strip(),
        defaults={"columns": columns, "created_by": acting_user},
    )
    return template
