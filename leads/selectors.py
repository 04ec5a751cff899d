"""Reads for the leads app. Every list a user sees goes through ``team_scope``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import get_visible_or_404, team_scope
from dialer_console.errors import ApplicationError
from dialer_console.keyset import Column, Sorting
from leads.models import (
    DncEntry,
    DncScope,
    ImportJob,
    ImportRejection,
    ImportState,
    Lead,
    LeadList,
    MappingTemplate,
)
from leads.phones import phone_normalise
from vendors.adapters.types import AlternatePhone, LeadRecord


def lead_lists_visible(*, user) -> QuerySet[LeadList]:
    return team_scope(LeadList.objects.select_related("team"), user)


# --- a list's counts ----------------------------------------------------------------------


@dataclass(frozen=True)
class LeadListCounts:
    """A list's figures, each defined once, read from the list's kept columns
    (``services.lead_list_counts_refresh``) and its finished imports' rejected rows.

    Leads = callable + done + DNC + invalid (leads a list holds; removed ones are gone).
    Rejected rows = invalid rows + duplicates + DNC rows: rows of uploaded files that never
    became leads (each import's rejected-rows report lists them)."""

    leads: int
    callable: int
    done: int
    dnc: int
    invalid: int
    rejected_invalid: int
    rejected_duplicates: int
    rejected_dnc: int

    @property
    def rejected(self) -> int:
        return self.rejected_invalid + self.rejected_duplicates + self.rejected_dnc


_REJECTED_SUMS = {
    "rejected_invalid_phone": Sum("invalid_phone_count"),
    "rejected_malformed": Sum("malformed_count"),
    "rejected_duplicates": Sum("duplicate_count"),
    "rejected_dnc": Sum("dnc_count"),
}


def _rejected_sums(lead_list_ids) -> dict[int, dict[str, int]]:
    rows = (
        ImportJob.objects.filter(lead_list_id__in=lead_list_ids, state=ImportState.DONE)
        .values("lead_list_id")
        .annotate(**_REJECTED_SUMS)
    )
    return {row.pop("lead_list_id"): row for row in rows}


def _counts(lead_list: LeadList, rejected: dict[str, int]) -> LeadListCounts:
    # The kept columns mix leads and rejected rows (invalid_count and dnc_count hold both):
    # take the rejected rows out, so each figure counts one kind of thing.
    rejected_invalid = (rejected.get("rejected_invalid_phone") or 0) + (
        rejected.get("rejected_malformed") or 0
    )
    rejected_dnc = rejected.get("rejected_dnc") or 0
    dnc = max(lead_list.dnc_count - rejected_dnc, 0)
    invalid = max(lead_list.invalid_count - rejected_invalid, 0)
    callable_ = lead_list.valid_count
    return LeadListCounts(
        leads=lead_list.total_count,
        callable=callable_,
        done=max(lead_list.total_count - callable_ - dnc - invalid, 0),
        dnc=dnc,
        invalid=invalid,
        rejected_invalid=rejected_invalid,
        rejected_duplicates=lead_list.duplicate_count,
        rejected_dnc=rejected_dnc,
    )


def lead_list_counts(*, lead_list: LeadList) -> LeadListCounts:
    return _counts(lead_list, _rejected_sums([lead_list.pk]).get(lead_list.pk, {}))


def lead_lists_counts(*, lead_lists: list[LeadList]) -> dict[int, LeadListCounts]:
    """Several lists' figures by list id, in one query beside the lists."""
    rejected = _rejected_sums([lead_list.pk for lead_list in lead_lists])
    return {
        lead_list.pk: _counts(lead_list, rejected.get(lead_list.pk, {})) for lead_list in lead_lists
    }


def lead_lists_with_counts(*, user) -> list[LeadList]:
    """The lists ``user`` may see, each with ``counts`` (two queries for the page)."""
    return lead_lists_counted(lead_lists=list(lead_lists_visible(user=user)))


def lead_lists_counted(*, lead_lists: list[LeadList]) -> list[LeadList]:
    """``lead_lists`` (a page of them), each given its ``counts``: one query."""
    rejected = _rejected_sums([lead_list.pk for lead_list in lead_lists])
    for lead_list in lead_lists:
        lead_list.counts = _counts(lead_list, rejected.get(lead_list.pk, {}))
    return lead_lists


# The lead-list page's orders, each served by an index with the id (LeadList.Meta).
LEAD_LIST_SORTING = Sorting(
    columns=(
        Column("name", gettext_lazy("Name"), "name"),
        Column("created", gettext_lazy("Created"), "created_at", descending_first=True),
    ),
    default="name",
)
# Imports newest first; the id is their creation order.
IMPORT_SORTING = Sorting(
    columns=(Column("created", gettext_lazy("When"), "id", descending_first=True),),
    default="-created",
)
# A list's leads in id order (the order they were added and are pushed in), either way:
# the (lead_list, id) index serves both, with or without a status filter.
LEAD_SORTING = Sorting(
    columns=(Column("added", gettext_lazy("Added"), "id"),),
    default="added",
)


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


def leads_filtered(*, lead_list: LeadList, status: str = "", phone: str = "") -> QuerySet[Lead]:
    """A list's leads by status and phone, for a keyset page (``LEAD_SORTING``). ``phone``
    is read with the list's default country (``phone_search_q``); its prefix search is
    served by the (lead_list, phone pattern-ops) index."""
    leads = Lead.objects.filter(lead_list=lead_list)
    if status:
        leads = leads.filter(status=status)
    if phone.strip():
        leads = leads.filter(phone_search_q(text=phone, country=lead_list.default_country))
    return leads


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


def _campaign_model():
    try:
        return apps.get_model("campaigns", "Campaign")
    except LookupError:
        return None


def campaign_exists(*, campaign_id: int) -> bool:
    campaign = _campaign_model()
    return campaign is not None and campaign.objects.filter(pk=campaign_id).exists()


def campaign_visible(*, user, campaign_id: int) -> bool:
    """Whether ``user`` may see the campaign (the campaigns app's own team rule)."""
    campaign = _campaign_model()
    return (
        campaign is not None and team_scope(campaign.objects.filter(pk=campaign_id), user).exists()
    )


def campaign_names(*, campaign_ids) -> dict[int, str]:
    campaign = _campaign_model()
    if campaign is None or not campaign_ids:
        return {}
    return dict(campaign.objects.filter(pk__in=set(campaign_ids)).values_list("pk", "name"))


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
    lists = lead_lists_with_counts(user=user)
    leads = sum(lead_list.counts.leads for lead_list in lists)
    rejected = sum(lead_list.counts.rejected for lead_list in lists)
    running = import_jobs_visible(user=user).filter(state__in=ImportJob.ACTIVE_STATES).count()
    url = reverse("leads:list")
    return [
        Tile(_("Lead lists"), len(lists), url),
        Tile(
            _("Leads"),
            leads,
            url,
            note=_("%(count)s rejected rows (not leads)")
            % {"count": number_format(rejected, force_grouping=True)},
        ),
        Tile(_("Imports running"), running, url),
    ]


# --- the do-not-call list ------------------------------------------------------------

DNC_PAGE_SIZE = 50
DNC_STATE_CHOICES = [("", "Active and expired"), ("active", "Active"), ("expired", "Expired")]


def dnc_active_q(*, now: datetime) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def dnc_entries_visible(*, user) -> QuerySet[DncEntry]:
    """Supervisors see every entry; everyone else the numbers listed everywhere, for
    their team's campaigns and on their team's lead lists."""
    entries = DncEntry.objects.select_related("lead_list", "created_by")
    if user.is_supervisor:
        return entries
    visible = Q(scope=DncScope.EVERYWHERE)
    if user.team_id is not None:
        visible |= Q(scope=DncScope.LIST, lead_list__team_id=user.team_id)
        campaign = _campaign_model()
        if campaign is not None:
            team_campaigns = campaign.objects.filter(team_id=user.team_id).values("pk")
            visible |= Q(scope=DncScope.CAMPAIGN, campaign_id__in=team_campaigns)
    return entries.filter(visible)


def dnc_entry_get(*, user, pk: int) -> DncEntry:
    return get_object_or_404(dnc_entries_visible(user=user), pk=pk)


def dnc_entry_may_manage(*, entry: DncEntry, user) -> bool:
    """Supervisors manage every entry; team leads those of their own team's lists."""
    if user.is_supervisor:
        return True
    return (
        entry.scope == DncScope.LIST
        and user.team_id is not None
        and entry.lead_list.team_id == user.team_id
    )


def dnc_lead_lists_manageable(*, user) -> QuerySet[LeadList]:
    """The lists ``user`` may list numbers on."""
    lists = LeadList.objects.only("id", "name", "team_id").order_by("name")
    if user.is_supervisor:
        return lists
    if user.team_id is None:
        return lists.none()
    return lists.filter(team_id=user.team_id)


def phone_search_q(*, text: str, country: str) -> Q:
    """What a typed phone matches (on a ``phone`` column in E.164: DNC entries, leads): the
    number itself when it reads as a valid number in ``country`` (any format), otherwise
    numbers starting with its digits, read as
    international (+49 30, 0049 30) or, without a leading + or 00, either as typed or as a
    national number of ``country`` (030 2 in DE: +49302; 212555 in US: +1212555)."""
    text = text.strip()
    normalised = phone_normalise(text, country.upper()) if len(text) <= 64 else None
    if normalised is not None:
        return Q(phone=normalised.e164)
    digits = re.sub(r"\D", "", text)[:15]
    if not digits:
        raise ApplicationError(
            _("“%(value)s” is not a phone number: type a number or its first digits.")
            % {"value": text[:64]},
            {"field": "phone"},
        )
    if text.startswith("+"):
        prefixes = [f"+{digits}"]
    elif digits.startswith("00"):
        prefixes = [f"+{digits[2:]}"]
    else:
        code = phonenumbers.country_code_for_region(country.upper())
        national = digits[1:] if digits.startswith("0") else digits
        prefixes = [f"+{digits}"] + ([f"+{code}{national}"] if code and national else [])
    query = Q()
    for prefix in dict.fromkeys(prefixes):
        query |= Q(phone__startswith=prefix)
    return query


@dataclass(frozen=True)
class DncRow:
    entry: DncEntry
    target_name: str  # the campaign's or list's name; "" for everywhere
    expired: bool
    can_manage: bool


# The do-not-call page's orders (DncEntry.Meta's indexes serve each with the id).
DNC_SORTING = Sorting(
    columns=(
        Column("phone", gettext_lazy("Phone"), "phone"),
        Column("added", gettext_lazy("Added"), "id", descending_first=True),
    ),
    default="-added",
)


def dnc_entries_filtered(
    *, user, now: datetime, phone: str = "", country: str = "US", scope: str = "", state: str = ""
) -> QuerySet[DncEntry]:
    """The entries ``user`` may see, filtered, for a keyset page (``DNC_SORTING``); turn a
    page of them into rows with ``dnc_rows``."""
    entries = dnc_entries_visible(user=user)
    if phone.strip():
        entries = entries.filter(phone_search_q(text=phone, country=country))
    if scope:
        entries = entries.filter(scope=scope)
    if state == "active":
        entries = entries.filter(dnc_active_q(now=now))
    elif state == "expired":
        entries = entries.filter(expires_at__lte=now)
    return entries


def dnc_rows(*, entries: list[DncEntry], user, now: datetime) -> list[DncRow]:
    """A page's rows: one query for the campaigns' names."""
    names = _names(entries)
    return [dnc_row(entry=entry, user=user, now=now, names=names) for entry in entries]


def _names(entries: list[DncEntry]) -> dict[int, str]:
    return campaign_names(campaign_ids=[e.campaign_id for e in entries if e.campaign_id])


def dnc_row(*, entry: DncEntry, user, now: datetime, names: dict[int, str] | None = None) -> DncRow:
    if names is None:
        names = _names([entry])
    if entry.scope == DncScope.CAMPAIGN:
        target = names.get(entry.campaign_id, f"campaign {entry.campaign_id} (deleted)")
    elif entry.scope == DncScope.LIST:
        target = entry.lead_list.name
    else:
        target = ""
    expired = not entry.is_active_at(now)
    return DncRow(entry, target, expired, dnc_entry_may_manage(entry=entry, user=user))
