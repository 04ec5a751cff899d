"""Reads for the leads app. Every list a user sees goes through ``team_scope``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet, Sum
from django.urls import reverse

from accounts.access import get_visible_or_404, team_scope
from leads.models import (
    ImportJob,
    ImportRejection,
    ImportState,
    Lead,
    LeadList,
    MappingTemplate,
)
from vendors.adapters.types import AlternatePhone, LeadRecord


def lead_lists_visible(*, user) -> QuerySet[LeadList]:
    return team_scope(LeadList.objects.select_related("team"), user)


def lead_list_get(*, user, pk: int) -> LeadList:
    return get_visible_or_404(LeadList.objects.select_related("team"), user, "team", pk=pk)


def import_jobs_visible(*, user) -> QuerySet[ImportJob]:
    return team_scope(
        ImportJob.objects.select_related("lead_list", "created_by"), user, "lead_list__team"
    )


def import_job_get(*, user, pk: int) -> ImportJob:
    return get_visible_or_404(
        ImportJob.objects.select_related("lead_list", "created_by"),
        user,
        "lead_list__team",
        pk=pk,
    )


def leads_visible(*, user) -> QuerySet[Lead]:
    return team_scope(Lead.objects.all(), user, "lead_list__team")


def leads_for_list(*, lead_list: LeadList) -> QuerySet[Lead]:
    """Every lead of a list in id order: the order the sync pushes them in."""
    return Lead.objects.filter(lead_list=lead_list).order_by("id")


def leads_page(
    *, lead_list: LeadList, after_id: int = 0, status: str = "", size: int = 50
) -> tuple[list[Lead], int | None]:
    """One page by keyset (ids after ``after_id``) and the id to continue after, if any."""
    leads = leads_for_list(lead_list=lead_list).filter(id__gt=after_id)
    if status:
        leads = leads.filter(status=status)
    page = list(leads[: size + 1])
    next_after = page[size - 1].id if len(page) > size else None
    return page[:size], next_after


def lead_record(*, lead: Lead) -> LeadRecord:
    """The plain value vendor adapters take."""
    alternates = tuple(
        AlternatePhone(
            phone=item["phone"], kind=item.get("kind", ""), priority=item.get("priority", 0)
        )
        for item in lead.alternate_phones or ()
    )
    return LeadRecord(
        lead_id=lead.id,
        phone=lead.phone,
        first_name=lead.first_name,
        last_name=lead.last_name,
        email=lead.email,
        timezone=lead.timezone,
        priority=lead.priority,
        expires_on=lead.expires_on,
        alternate_phones=alternates,
        custom_fields=dict(lead.custom_fields or {}),
    )


def import_rejections(*, job: ImportJob) -> QuerySet[ImportRejection]:
    return job.rejections.order_by("row_number")


def mapping_templates_visible(*, user) -> QuerySet[MappingTemplate]:
    return team_scope(MappingTemplate.objects.all(), user)


# --- campaigns, looked up lazily so this app does not import the campaigns app -------


def _campaign_list_link_model():
    """The campaigns app's lead-list link model, if the app provides one."""
    for name in ("CampaignLeadList", "CampaignList"):
        try:
            return apps.get_model("campaigns", name)
        except LookupError:
            continue
    return None


def campaign_lead_list_ids(*, campaign_id: int) -> list[int]:
    """The lists a campaign dials from (the "this campaign's lists" duplicate scope)."""
    link = _campaign_list_link_model()
    if link is None:
        return []
    return list(link.objects.filter(campaign_id=campaign_id).values_list("lead_list_id", flat=True))


def lead_list_campaign_ids(*, lead_list_id: int) -> list[int]:
    """The campaigns that dial a list: their campaign-scoped DNC entries apply to it."""
    link = _campaign_list_link_model()
    if link is None:
        return []
    return list(
        link.objects.filter(lead_list_id=lead_list_id).values_list("campaign_id", flat=True)
    )


def campaign_choices(*, user) -> list[tuple[int, str]]:
    try:
        campaign = apps.get_model("campaigns", "Campaign")
    except LookupError:
        return []
    return [(c.pk, str(c)) for c in team_scope(campaign.objects.all(), user)[:500]]


# --- progress and the dashboard -----------------------------------------------------


@dataclass(frozen=True)
class ImportProgress:
    rows_read: int
    rows_total: int
    percent: int
    rows_per_second: int
    seconds_left: int | None
    stalled: bool


def import_progress(*, job: ImportJob, now: datetime) -> ImportProgress:
    total = max(job.rows_total, job.rows_read)
    percent = int(job.rows_read * 100 / total) if total else 0
    if job.state == ImportState.DONE:
        percent = 100
    rate, left = 0, None
    if job.started_at and job.heartbeat_at and job.rows_read:
        elapsed = (job.heartbeat_at - job.started_at).total_seconds()
        if elapsed > 0:
            rate = int(job.rows_read / elapsed)
            left = int((total - job.rows_read) / rate) if rate else None
    stalled = bool(
        job.state == ImportState.RUNNING
        and job.heartbeat_at
        and (now - job.heartbeat_at).total_seconds() > 120
    )
    return ImportProgress(job.rows_read, total, percent, rate, left, stalled)


def lead_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("leads.view_leadlist"):
        return []
    lists = lead_lists_visible(user=user)
    totals = lists.aggregate(leads=Sum("total_count"), dnc=Sum("dnc_count"))
    running = import_jobs_visible(user=user).filter(state__in=ImportJob.ACTIVE_STATES).count()
    url = reverse("leads:list")
    return [
        Tile("Lead lists", lists.count(), url),
        Tile("Leads", totals["leads"] or 0, url, note=f"{totals['dnc'] or 0:,} DNC rejected"),
        Tile("Imports running", running, url),
    ]
