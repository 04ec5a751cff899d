"""Reads for the campaign results page, its API and the home page: a fixed number of
grouped queries per campaign, each over one campaign's result rows (served by the
``(campaign, …)`` indexes of ``LeadResult`` and ``CallAttempt``), never one a lead.
The figures' meanings are in ``results.figures``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.access import team_scope
from campaigns.models import Campaign, CampaignLeadList, DispositionCode
from leads.models import Lead
from results.chart import DayChart, day_chart
from results.figures import (
    DIALLED,
    EMPTY,
    Penetration,
    contact_codes,
    final_codes,
    penetration_from_groups,
)
from results.models import CallAttempt, LeadResult

UNMAPPED = gettext_lazy("Dialer status not mapped")


@dataclass(frozen=True)
class ResultsFilter:
    """``since``/``until``: the days (console time zone, both included) of the last
    attempt; ``lead_list_id``: one of the campaign's lists."""

    since: date | None = None
    until: date | None = None
    lead_list_id: int | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.since, time.min, zone) if self.since else None
        end = (
            datetime.combine(self.until + timedelta(days=1), time.min, zone) if self.until else None
        )
        return start, end


@dataclass(frozen=True)
class OutcomeRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class GroupOutcomes:
    """Outcomes of one list or one agent: ``counts`` by code, in the table's columns."""

    name: str
    counts: list[int]
    total: int


@dataclass
class CampaignResults:
    campaign: Campaign
    lead_lists: list  # the active, visible leads.LeadList rows
    filters: ResultsFilter
    penetration: Penetration
    outcomes: list[OutcomeRow]  # by disposition, of leads dialled in the range
    outcome_columns: list[OutcomeRow] = field(default_factory=list)
    per_list: list[GroupOutcomes] = field(default_factory=list)
    per_agent: list[GroupOutcomes] = field(default_factory=list)
    agents_reported: bool = False
    histogram: list[tuple[str, int]] = field(default_factory=list)
    chart: DayChart | None = None

    @property
    def outcomes_total(self) -> int:
        return sum(row.count for row in self.outcomes)


def results_lead_lists(*, campaign: Campaign, user) -> list:
    """The campaign's active lead lists that ``user`` may see."""
    links = team_scope(
        CampaignLeadList.objects.filter(campaign=campaign, active=True).select_related("lead_list"),
        user,
        "lead_list__team",
    )
    return [link.lead_list for link in links]


def _lead_counts(list_ids: list[int]) -> dict[int, int]:
    rows = Lead.objects.filter(lead_list_id__in=list_ids).values("lead_list_id")
    return {row["lead_list_id"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}


def campaign_result_rows(*, campaign: Campaign, list_ids: list[int]) -> QuerySet[LeadResult]:
    return LeadResult.objects.filter(campaign=campaign, lead__lead_list_id__in=list_ids)


def _in_range(rows: QuerySet, filters: ResultsFilter, field_name: str) -> QuerySet:
    start, end = filters.bounds()
    if start:
        rows = rows.filter(**{f"{field_name}__gte": start})
    if end:
        rows = rows.filter(**{f"{field_name}__lt": end})
    return rows


def _labels(codes: list[DispositionCode]) -> dict[str, str]:
    return {code.code: code.label for code in codes}


def _label(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code) if code else str(UNMAPPED)


def campaign_results(
    *, campaign: Campaign, user, filters: ResultsFilter, lead_lists: list | None = None
) -> CampaignResults:
    """Everything the results page shows, in eight queries however many leads there are
    (seven when ``lead_lists``, from ``results_lead_lists`` for ``user``, is given)."""
    if lead_lists is None:
        lead_lists = results_lead_lists(campaign=campaign, user=user)
    if filters.lead_list_id is not None:
        lead_lists = [item for item in lead_lists if item.pk == filters.lead_list_id]
    list_ids = [item.pk for item in lead_lists]
    codes = list(DispositionCode.objects.filter(disposition_list_id=campaign.disposition_list_id))
    labels = _labels(codes)
    rows = campaign_result_rows(campaign=campaign, list_ids=list_ids)
    groups = rows.filter(DIALLED).values("done", "last_result_code").annotate(n=Count("id"))
    penetration = penetration_from_groups(
        leads=sum(_lead_counts(list_ids).values()),
        groups=list(groups.order_by()),
        contact=contact_codes(codes),
        final=final_codes(codes),
    )
    ranged = _in_range(rows.filter(DIALLED), filters, "last_attempt_at")
    by_list = _grouped(ranged, "lead__lead_list_id")
    totals: dict[str, int] = defaultdict(int)
    for counts in by_list.values():
        for code, count in counts.items():
            totals[code] += count
    outcomes = sorted(
        (OutcomeRow(code, _label(code, labels), count) for code, count in totals.items()),
        key=lambda row: (-row.count, row.label),
    )
    names = {item.pk: item.name for item in lead_lists}
    by_agent = _grouped(ranged, "agent")
    attempts = _in_range(CallAttempt.objects.filter(campaign=campaign), filters, "attempted_at")
    return CampaignResults(
        campaign=campaign,
        lead_lists=lead_lists,
        filters=filters,
        penetration=penetration,
        outcomes=outcomes,
        outcome_columns=outcomes,
        per_list=_group_rows(
            by_list, outcomes, lambda key: names.get(key, gettext("List %(id)s") % {"id": key})
        ),
        per_agent=_group_rows(by_agent, outcomes, lambda key: key or gettext("Not reported")),
        agents_reported=any(key for key in by_agent),
        histogram=_histogram(ranged),
        chart=day_chart(
            attempts.filter(lead__lead_list_id__in=list_ids), filters=filters, labels=labels
        ),
    )


def _grouped(rows: QuerySet, key: str) -> dict:
    grouped: dict = defaultdict(dict)
    for row in rows.values(key, "last_result_code").annotate(n=Count("id")).order_by():
        grouped[row[key]][row["last_result_code"]] = row["n"]
    return grouped


def _group_rows(grouped: dict, columns: list[OutcomeRow], name) -> list[GroupOutcomes]:
    found = [
        GroupOutcomes(
            name(key),
            [counts.get(column.code, 0) for column in columns],
            sum(counts.values()),
        )
        for key, counts in grouped.items()
    ]
    return sorted(found, key=lambda row: (-row.total, row.name))


def _histogram(rows: QuerySet) -> list[tuple[str, int]]:
    """Dialled leads by their number of attempts ("unknown" where the dialer gives none)."""
    found = {
        row["attempts"]: row["n"]
        for row in rows.values("attempts").annotate(n=Count("id")).order_by()
    }
    bars = [(str(attempts), found[attempts]) for attempts in sorted(k for k in found if k)]
    missing = found.get(None, 0) + found.get(0, 0)  # an attempt time but no attempt count
    return bars + ([("unknown", missing)] if missing else [])


# --- the home page --------------------------------------------------------------------------


def results_overview(*, user) -> Penetration:
    """The essentials summed over the campaigns ``user`` may see (leads counted once per
    campaign they are in). Four queries however many campaigns."""
    from campaigns.selectors import campaign_queryset

    campaigns = list(
        campaign_queryset(user=user).exclude(status="archived").values("id", "disposition_list_id")
    )
    links = team_scope(
        CampaignLeadList.objects.filter(campaign_id__in=[c["id"] for c in campaigns], active=True),
        user,
        "lead_list__team",
    ).values_list("campaign_id", "lead_list_id")
    lists_of: dict[int, list[int]] = defaultdict(list)
    for campaign_id, list_id in links:
        lists_of[campaign_id].append(list_id)
    counts = _lead_counts(sorted({pk for ids in lists_of.values() for pk in ids}))
    codes = defaultdict(list)
    for code in DispositionCode.objects.filter(
        disposition_list_id__in={c["disposition_list_id"] for c in campaigns}
    ):
        codes[code.disposition_list_id].append(code)
    visible = Q()
    for campaign_id, ids in lists_of.items():
        visible |= Q(campaign_id=campaign_id, lead__lead_list_id__in=ids)
    groups: dict[int, list] = defaultdict(list)
    if lists_of:
        for row in (
            LeadResult.objects.filter(visible)
            .filter(DIALLED)
            .values("campaign_id", "done", "last_result_code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            groups[row["campaign_id"]].append(row)
    total = EMPTY
    for campaign in campaigns:
        own = codes[campaign["disposition_list_id"]]
        total += penetration_from_groups(
            leads=sum(counts.get(pk, 0) for pk in lists_of[campaign["id"]]),
            groups=groups[campaign["id"]],
            contact=contact_codes(own),
            final=final_codes(own),
        )
    return total


def results_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("campaigns.view_campaign"):
        return []
    overview = results_overview(user=user)
    rate = overview.contact_rate_percent
    return [
        Tile(
            gettext("Leads dialled"),
            overview.dialled,
            note=gettext("of %(count)s in campaigns") % {"count": f"{overview.leads:,}"},
        ),
        Tile(gettext("Leads not yet dialled"), overview.not_dialled),
        Tile(
            gettext("Leads done"),
            overview.done,
            note=gettext("%(count)s exhausted") % {"count": f"{overview.exhausted:,}"},
        ),
        Tile(gettext("Contact rate"), gettext("unknown") if rate is None else f"{rate} %"),
    ]
