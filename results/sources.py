"""Where the results figures are read from: the kept counts (``ResultCount``, the same
few rows at a thousand leads or a million) or, when they cannot answer, the result rows
themselves. Both give the same groups, so ``results.selectors`` builds each figure once
from either; the tests compare the two after random writes.

The kept counts cannot answer when the campaign has not been counted yet (the first
beat recount after an upgrade) or the page is drawn in another time zone than the
counts' days; ``kept_reason`` says which, and the page says so."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from results.figures import DIALLED
from results.kept_counts import AGENT, CALLS, STATE, TRIES, counts_zone, result_counts_ready
from results.models import CallAttempt, LeadResult, ResultCount

NOT_COUNTED = gettext_lazy(
    "this campaign's results have not been counted yet (the hourly recount does it)"
)
OTHER_ZONE = gettext_lazy("the page is drawn in another time zone than the kept counts' days")


def _bounds(first: date | None, last: date | None):
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, zone) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, zone) if last else None
    return start, end


class RowSource:
    """Grouped queries over the campaign's result rows (cost grows with the rows)."""

    def __init__(self, *, campaign, list_ids: list[int], since=None, until=None):
        self.campaign, self.list_ids = campaign, list_ids
        self.since, self.until = since, until

    def _rows(self):
        return LeadResult.objects.filter(
            DIALLED, campaign=self.campaign, lead__lead_list_id__in=self.list_ids
        )

    def _in_range(self, rows, field_name: str, first=None, last=None):
        start, end = _bounds(first, last)
        if start:
            rows = rows.filter(**{f"{field_name}__gte": start})
        if end:
            rows = rows.filter(**{f"{field_name}__lt": end})
        return rows

    def penetration_groups(self) -> list[dict]:
        groups = self._rows().values("done", "last_result_code").annotate(n=Count("id"))
        return list(groups.order_by())

    def outcome_groups(self) -> tuple[dict, dict]:
        """({list id: {code: leads}}, {agent: {code: leads}}) of the dialled leads whose
        last attempt is in the days."""
        ranged = self._in_range(self._rows(), "last_attempt_at", self.since, self.until)
        by_list: dict = defaultdict(dict)
        by_agent: dict = defaultdict(dict)
        grouped = ranged.values("lead__lead_list_id", "agent", "last_result_code")
        for row in grouped.annotate(n=Count("id")).order_by():
            code, n = row["last_result_code"], row["n"]
            lists = by_list[row["lead__lead_list_id"]]
            lists[code] = lists.get(code, 0) + n
            agents = by_agent[row["agent"]]
            agents[code] = agents.get(code, 0) + n
        return by_list, by_agent

    def attempts_groups(self) -> dict:
        """{attempts: leads}; ``None`` where the dialer gave no count."""
        ranged = self._in_range(self._rows(), "last_attempt_at", self.since, self.until)
        found: dict = defaultdict(int)
        for row in ranged.values("attempts").annotate(n=Count("id")).order_by():
            found[row["attempts"] or None] += row["n"]
        return dict(found)

    def chart_groups(self, first: date, last: date) -> dict[tuple[date, str], int]:
        attempts = CallAttempt.objects.filter(
            campaign=self.campaign, lead__lead_list_id__in=self.list_ids
        )
        rows = (
            self._in_range(attempts, "attempted_at", first, last)
            .annotate(day=TruncDate("attempted_at", tzinfo=timezone.get_current_timezone()))
            .values("day", "result_code")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {(row["day"], row["result_code"]): row["n"] for row in rows}


class KeptSource(RowSource):
    """The same groups summed from the kept counts (``results.kept_counts``)."""

    def _counts(self, figure: str, first=None, last=None):
        rows = ResultCount.objects.filter(
            campaign=self.campaign, figure=figure, lead_list_id__in=self.list_ids
        )
        if first or last:
            rows = rows.exclude(day="")
        if first:
            rows = rows.filter(day__gte=first.isoformat())
        if last:
            rows = rows.filter(day__lte=last.isoformat())
        return rows.order_by()

    def penetration_groups(self) -> list[dict]:
        done = {"yes": True, "no": False, "": None}
        rows = self._counts(STATE).values("key", "code").annotate(total=Sum("n"))
        return [
            {"done": done[row["key"]], "last_result_code": row["code"], "n": row["total"]}
            for row in rows
        ]

    def outcome_groups(self) -> tuple[dict, dict]:
        by_list: dict = defaultdict(dict)
        by_agent: dict = defaultdict(dict)
        rows = self._counts(AGENT, self.since, self.until).values("lead_list_id", "key", "code")
        for row in rows.annotate(total=Sum("n")):
            code, n = row["code"], row["total"]
            lists = by_list[row["lead_list_id"]]
            lists[code] = lists.get(code, 0) + n
            agents = by_agent[row["key"]]
            agents[code] = agents.get(code, 0) + n
        return by_list, by_agent

    def attempts_groups(self) -> dict:
        rows = self._counts(TRIES, self.since, self.until).values("key").annotate(total=Sum("n"))
        return {int(row["key"]) if row["key"] else None: row["total"] for row in rows}

    def chart_groups(self, first: date, last: date) -> dict[tuple[date, str], int]:
        rows = self._counts(CALLS, first, last).values("day", "code").annotate(total=Sum("n"))
        return {(date.fromisoformat(row["day"]), row["code"]): row["total"] for row in rows}


def results_source(*, campaign, list_ids: list[int], filters) -> tuple[RowSource, str]:
    """The source for this campaign's page and why the kept counts cannot answer ("":
    they can). One query, or two for a campaign never counted."""
    kwargs = {"campaign": campaign, "list_ids": list_ids, "since": filters.since,
              "until": filters.until}  # fmt: skip
    if campaign.pk in result_counts_ready(campaign_ids=[campaign.pk]):
        return KeptSource(**kwargs), ""
    if timezone.get_current_timezone_name() != counts_zone():
        return RowSource(**kwargs), OTHER_ZONE
    if any(model.objects.filter(campaign=campaign).exists() for model in (LeadResult, CallAttempt)):
        return RowSource(**kwargs), NOT_COUNTED
    return KeptSource(**kwargs), ""  # nothing to count: the (empty) kept counts are right
