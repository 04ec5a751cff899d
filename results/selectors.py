"""Reads for the campaign results page, its API and the home page: a fixed number of
grouped queries per campaign, each over one campaign's result rows (served by the
``(campaign, …)`` indexes of ``LeadResult`` and ``CallAttempt``), never one a lead.
The figures' meanings are in ``results.figures``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from accounts.access import team_scope
from campaigns.models import Campaign, CampaignLeadList, DispositionCode
from leads.models import LeadList
from results.chart import DayChart, day_chart
from results.figures import (
    DIALLED,
    EMPTY,
    Penetration,
    contact_codes,
    final_codes,
    penetration_from_groups,
)
from results.kept_counts import STATE, result_counts_ready
from results.models import LeadResult, ResultCount
from results.sources import RowSource, results_source

UNMAPPED = gettext_lazy("Dialer status not mapped")


@dataclass(frozen=True)
class ResultsFilter:
    """``since``/``until``: the days (console time zone, both included) of the last
    attempt; ``lead_list_id``: one of the campaign's lists."""

    since: date | None = None
    until: date | None = None
    lead_list_id: int | None = None


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
    # Why the figures were counted from the result rows ("": from the kept counts).
    counted_from_rows: str = ""

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
    """The lists' leads as each list keeps them (``LeadList.total_count``: its leads but
    the removed ones), so no page counts a million leads."""
    rows = LeadList.objects.filter(pk__in=list_ids).values_list("pk", "total_count")
    return dict(rows)


def _labels(codes: list[DispositionCode]) -> dict[str, str]:
    return {code.code: code.label for code in codes}


def _label(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code) if code else str(UNMAPPED)


def campaign_results(
    *,
    campaign: Campaign,
    user,
    filters: ResultsFilter,
    lead_lists: list | None = None,
    from_rows: bool = False,
) -> CampaignResults:
    """Everything the results page shows, in eight queries however many leads there are
    (seven when ``lead_lists``, from ``results_lead_lists`` for ``user``, is given), read
    from the kept counts (``results.sources``); ``from_rows``: from the result rows."""
    if lead_lists is None:
        lead_lists = results_lead_lists(campaign=campaign, user=user)
    if filters.lead_list_id is not None:
        lead_lists = [item for item in lead_lists if item.pk == filters.lead_list_id]
    list_ids = [item.pk for item in lead_lists]
    codes = list(DispositionCode.objects.filter(disposition_list_id=campaign.disposition_list_id))
    labels = _labels(codes)
    if from_rows:
        source: RowSource = RowSource(
            campaign=campaign, list_ids=list_ids, since=filters.since, until=filters.until
        )
        reason = "asked"
    else:
        source, reason = results_source(campaign=campaign, list_ids=list_ids, filters=filters)
    penetration = penetration_from_groups(
        leads=sum(_lead_counts(list_ids).values()),
        groups=source.penetration_groups(),
        contact=contact_codes(codes),
        final=final_codes(codes),
    )
    by_list, by_agent = source.outcome_groups()
    totals: dict[str, int] = defaultdict(int)
    for counts in by_list.values():
        for code, count in counts.items():
            totals[code] += count
    outcomes = sorted(
        (OutcomeRow(code, _label(code, labels), count) for code, count in totals.items()),
        key=lambda row: (-row.count, row.label),
    )
    names = {item.pk: item.name for item in lead_lists}
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
        histogram=_histogram(source.attempts_groups()),
        chart=day_chart(source, filters=filters, labels=labels),
        counted_from_rows=reason,
    )


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


def _histogram(found: dict) -> list[tuple[str, int]]:
    """Dialled leads by their number of attempts ("unknown" where the dialer gives none)."""
    bars = [(str(attempts), found[attempts]) for attempts in sorted(k for k in found if k)]
    missing = found.get(None, 0)  # an attempt time but no attempt count
    return bars + ([("unknown", missing)] if missing else [])


# --- the home page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignEssentials:
    campaign_id: int
    name: str
    penetration: Penetration


def results_by_campaign(*, user) -> list[CampaignEssentials]:
    """Penetration and contact rate of each campaign ``user`` may see (not archived),
    over its active lists the user may see, from the kept counts: five queries however
    many campaigns and leads (one more for campaigns not counted yet, from their rows)."""
    from campaigns.selectors import campaign_queryset

    campaigns = list(
        campaign_queryset(user=user)
        .exclude(status="archived")
        .order_by("name", "pk")
        .values("id", "name", "disposition_list_id")
    )
    links = team_scope(
        CampaignLeadList.objects.filter(campaign_id__in=[c["id"] for c in campaigns], active=True),
        user,
        "lead_list__team",
    ).values_list("campaign_id", "lead_list_id")
    lists_of: dict[int, set[int]] = defaultdict(set)
    for campaign_id, list_id in links:
        lists_of[campaign_id].add(list_id)
    counts = _lead_counts(sorted({pk for ids in lists_of.values() for pk in ids}))
    codes = defaultdict(list)
    for code in DispositionCode.objects.filter(
        disposition_list_id__in={c["disposition_list_id"] for c in campaigns}
    ):
        codes[code.disposition_list_id].append(code)
    groups = _state_groups(lists_of)
    found = []
    for campaign in campaigns:
        own = codes[campaign["disposition_list_id"]]
        penetration = penetration_from_groups(
            leads=sum(counts.get(pk, 0) for pk in lists_of[campaign["id"]]),
            groups=groups[campaign["id"]],
            contact=contact_codes(own),
            final=final_codes(own),
        )
        found.append(CampaignEssentials(campaign["id"], campaign["name"], penetration))
    return found


def _state_groups(lists_of: dict[int, set[int]]) -> dict[int, list[dict]]:
    """The penetration groups of each campaign's visible lists: kept counts where they
    are ready (one query), rows for the campaigns not counted yet (one more)."""
    groups: dict[int, list[dict]] = defaultdict(list)
    if not lists_of:
        return groups
    ready = result_counts_ready(campaign_ids=lists_of)
    done = {"yes": True, "no": False, "": None}
    kept = ResultCount.objects.filter(campaign_id__in=ready, figure=STATE).order_by()
    for campaign_id, list_id, key, code, n in kept.values_list(
        "campaign_id", "lead_list_id", "key", "code", "n"
    ):
        if list_id in lists_of[campaign_id]:
            groups[campaign_id].append({"done": done[key], "last_result_code": code, "n": n})
    visible = Q()
    for campaign_id, ids in lists_of.items():
        if campaign_id not in ready:
            visible |= Q(campaign_id=campaign_id, lead__lead_list_id__in=ids)
    if visible:
        rows = LeadResult.objects.filter(visible).filter(DIALLED)
        for row in (
            rows.values("campaign_id", "done", "last_result_code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            groups[row["campaign_id"]].append(row)
    return groups


HOME_CAMPAIGNS = 20


def results_home(*, user) -> tuple[Penetration, list[CampaignEssentials]]:
    """The home page's essentials: the sum over the campaigns ``user`` may see, and the
    campaigns with the most dialled leads (at most ``HOME_CAMPAIGNS``)."""
    if not user.has_perm("campaigns.view_campaign"):
        return EMPTY, []
    rows = results_by_campaign(user=user)
    total = sum((row.penetration for row in rows), EMPTY)
    ranked = sorted(rows, key=lambda row: (-row.penetration.dialled, row.name, row.campaign_id))
    return total, ranked[:HOME_CAMPAIGNS]


def results_overview(*, user) -> Penetration:
    """The essentials summed over the campaigns ``user`` may see (leads counted once per
    campaign they are in)."""
    return sum((row.penetration for row in results_by_campaign(user=user)), EMPTY)


def results_dashboard_tiles(*, user, overview: Penetration | None = None) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("campaigns.view_campaign"):
        return []
    overview = results_overview(user=user) if overview is None else overview
    rate = overview.contact_rate_percent
    return [
        Tile(
            gettext("Leads dialled"),
            overview.dialled,
            note=gettext("of %(count)s in campaigns")
            % {"count": number_format(overview.leads, force_grouping=True)},
        ),
        Tile(gettext("Leads not yet dialled"), overview.not_dialled),
        Tile(
            gettext("Leads done"),
            overview.done,
            note=gettext("%(count)s exhausted")
            % {"count": number_format(overview.exhausted, force_grouping=True)},
        ),
        Tile(gettext("Contact rate"), gettext("unknown") if rate is None else f"{rate} %"),
    ]
