"""Each campaign's result figures, kept as the result rows change.

The results page and the home page used to group a campaign's result rows on every
request (3.3 s at a million leads). ``ResultCount`` holds the groups instead, per
campaign and lead list (so a list filter and the team's visible lists still apply), and
per day of the last attempt (so a date range is a sum of days):

- ``state``: dialled leads by done and last result (penetration, contact rate);
- ``agent``: dialled leads by day, agent and last result (outcomes, per list, per agent);
- ``tries``: dialled leads by day and attempts (the histogram);
- ``calls``: call attempts by day and result (the chart).

Days are those of ``settings.TIME_ZONE`` (kept on ``ResultCountsState.zone``); a page
drawn in another zone counts from the rows instead and says so.

This follows ``sync.push_counts``: every write of a ``LeadResult`` or ``CallAttempt`` row
passes here (the models' managers: ``update`` (and so ``bulk_update``), ``bulk_create``,
``delete`` and the cascade through ``_raw_delete``; ``save``/``delete`` of one row), and
so does a lead moved to another list (``result_counts_moving``). A change locks the
counts state rows of its campaigns (in id order), counts the touched rows before it,
writes, counts them after, and adds the difference with one ``INSERT … ON CONFLICT`` per
batch: set-based, grouped in SQL, never a lead at a time.

``result_counts_recount`` (beat, and ``manage.py recount_results``) compares the kept
counts with a real count, corrects them and logs and keeps the drift.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from results.figures import DIALLED

logger = logging.getLogger(__name__)

CHUNK = 2000  # leads per grouped count
STATE, AGENT, TRIES, CALLS = "state", "agent", "tries", "calls"
RESULT_FIGURES = (STATE, AGENT, TRIES)
Deltas = Counter  # (campaign, figure, list, day, key, code) -> rows added


def _model(name: str):
    return apps.get_model("results", name)


def counts_zone() -> str:
    return settings.TIME_ZONE


def _day(value) -> str:
    return value.isoformat() if value else ""


def _done_key(done) -> str:
    return "" if done is None else ("yes" if done else "no")


def _tally_results(rows) -> Deltas:
    """The three figures of these ``LeadResult`` rows, from one query grouped in SQL by
    every dimension they use (so a batch costs one query, not three)."""
    day = TruncDate("last_attempt_at", tzinfo=ZoneInfo(counts_zone()))
    grouped = (
        rows.filter(DIALLED)
        .order_by()
        .annotate(day=day)
        .values_list(
            "campaign_id", "lead__lead_list_id", "done", "last_result_code", "day", "agent",
            "attempts",
        )
        .annotate(n=Count("pk"))
    )  # fmt: skip
    found = Deltas()
    for campaign, lead_list, done, code, when, agent, attempts, n in grouped:
        found[(campaign, STATE, lead_list, "", _done_key(done), code)] += n
        found[(campaign, AGENT, lead_list, _day(when), agent, code)] += n
        found[(campaign, TRIES, lead_list, _day(when), str(attempts or ""), "")] += n
    return found


def _tally_attempts(rows) -> Deltas:
    day = TruncDate("attempted_at", tzinfo=ZoneInfo(counts_zone()))
    grouped = (
        rows.order_by()
        .annotate(day=day)
        .values_list("campaign_id", "lead__lead_list_id", "day", "result_code")
        .annotate(n=Count("pk"))
    )
    found = Deltas()
    for campaign, lead_list, when, code, n in grouped:
        found[(campaign, CALLS, lead_list, _day(when), "", code)] += n
    return found


def _tally(scopes: list[Q], *, results: bool, attempts: bool) -> Deltas:
    found = Deltas()
    for scope in scopes:
        if results:
            found.update(_tally_results(_model("LeadResult")._base_manager.filter(scope)))
        if attempts:
            found.update(_tally_attempts(_model("CallAttempt")._base_manager.filter(scope)))
    return found


def result_counts_lock(*, campaign_ids: Iterable[int], create: bool = True) -> dict:
    """Lock (and with ``create``, first make) the counts state rows of these campaigns,
    in id order; returns them by campaign id. Must run inside a transaction."""
    ids = sorted({pk for pk in campaign_ids if pk is not None})
    if not ids:
        return {}
    state = _model("ResultCountsState")
    locked = state.objects.select_for_update().order_by("campaign_id")
    found = {row.campaign_id: row for row in locked.filter(campaign_id__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if create and missing:
        # A campaign with no rows yet is counted from zero; one whose rows came before its
        # counts (an upgrade, a load by SQL) waits for the recount (``recounted_at``).
        uncounted = set()
        for name in ("LeadResult", "CallAttempt"):
            rows = _model(name)._base_manager.filter(campaign_id__in=missing).order_by()
            uncounted |= set(rows.values_list("campaign_id", flat=True).distinct())
        now, zone = timezone.now(), counts_zone()
        state.objects.bulk_create(
            [
                state(campaign_id=pk, zone=zone, recounted_at=None if pk in uncounted else now)
                for pk in missing
            ],
            ignore_conflicts=True,
        )
        found.update({row.campaign_id: row for row in locked.filter(campaign_id__in=missing)})
    return found


_COLUMNS = ("campaign_id", "figure", "lead_list_id", "day", "key", "code")


def _apply(deltas: Deltas, locked: dict, *, insert: bool = True) -> None:
    """Add ``deltas`` to the kept counts of the ``locked`` campaigns: one ``INSERT … ON
    CONFLICT`` (or, while deleting, one batched ``UPDATE``: a cascade may be taking the
    campaign or the list away with its counts), then drop the rows that reached 0."""
    rows = [(*key, n) for key, n in deltas.items() if n and key[0] in locked]
    if not rows:
        return
    table = connection.ops.quote_name(_model("ResultCount")._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    with connection.cursor() as cursor:
        if insert:
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + EXCLUDED.n",
                [value for row in rows for value in row],
            )
        else:
            match = " AND ".join(f"{connection.ops.quote_name(name)} = %s" for name in _COLUMNS)
            cursor.executemany(
                f"UPDATE {table} SET n = n + %s WHERE {match}",  # noqa: S608
                [(row[-1], *row[:-1]) for row in rows],
            )
    campaigns = sorted({row[0] for row in rows})
    _model("ResultCount").objects.filter(campaign_id__in=campaigns, n=0).delete()


def _scopes(pairs: Iterable[tuple[int, int]]) -> list[Q]:
    by_campaign: dict[int, list[int]] = {}
    for campaign_id, lead_id in pairs:
        by_campaign.setdefault(campaign_id, []).append(lead_id)
    scopes = []
    for campaign_id, lead_ids in sorted(by_campaign.items()):
        unique = sorted(set(lead_ids))
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            scopes.append(Q(campaign_id=campaign_id, lead_id__in=chunk))
    return scopes


@contextmanager
def _moving(campaign_ids: set[int], scopes: list[Q], *, results: bool, attempts: bool):
    with transaction.atomic():
        locked = result_counts_lock(campaign_ids=campaign_ids)
        before = _tally(scopes, results=results, attempts=attempts)
        yield
        after = _tally(scopes, results=results, attempts=attempts)
        after.subtract(before)
        _apply(after, locked)


def result_counts_moving(*, lead_ids: Iterable[int]):
    """Around a change of these leads that moves their results in the figures (a lead
    moved to another list): ``with result_counts_moving(lead_ids=ids): …``."""
    ids = sorted(set(lead_ids))
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for name in ("LeadResult", "CallAttempt"):
            rows = _model(name)._base_manager.filter(lead_id__in=chunk).order_by()
            pairs.extend(rows.values_list("campaign_id", "lead_id").distinct())
    return _moving({c for c, _ in pairs}, _scopes(pairs), results=True, attempts=True)


class _CountedQuerySet(models.QuerySet):
    """The writes of result rows move the campaign's kept counts in the same
    transaction."""

    counts_results = True  # which figures this model's rows feed

    def _moving_pairs(self, pairs):
        pairs = list(pairs)
        results, attempts = self.counts_results, not self.counts_results
        return _moving({c for c, _ in pairs}, _scopes(pairs), results=results, attempts=attempts)

    def update(self, **kwargs) -> int:
        # ``bulk_update`` writes through here too, one batch at a time.
        pairs = self.order_by().values_list("campaign_id", "lead_id").distinct()
        with transaction.atomic(using=self.db), self._moving_pairs(pairs):
            return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        with self._moving_pairs((obj.campaign_id, obj.lead_id) for obj in objs):
            return super().bulk_create(objs, *args, **kwargs)

    def _raw_delete(self, using):
        # Both ``delete()`` and the cascade of a deleted lead, list or campaign end here.
        rows = self.using(using)
        with transaction.atomic(using=using):
            campaigns = set(rows.order_by().values_list("campaign_id", flat=True).distinct())
            locked = result_counts_lock(campaign_ids=campaigns, create=False)
            tally = _tally_results if self.counts_results else _tally_attempts
            before = tally(rows)
            deleted = super()._raw_delete(using)
            _apply(Deltas({key: -n for key, n in before.items()}), locked, insert=False)
        return deleted


class CountedResultQuerySet(_CountedQuerySet):
    counts_results = True


class CountedAttemptQuerySet(_CountedQuerySet):
    counts_results = False


def counted_row_save(row, save: Callable[[], None]) -> None:
    """``save`` of one result row or attempt, moving its campaign's counts."""
    with type(row).objects.all()._moving_pairs([(row.campaign_id, row.lead_id)]):
        save()


def counted_row_delete(row):
    return type(row).objects.filter(pk=row.pk).delete()


# --- reading and reconciling ------------------------------------------------------------


def result_counts_ready(*, campaign_ids: Iterable[int]) -> set[int]:
    """Of these campaigns, those whose kept counts can answer in the current time zone:
    counted from their first row or by a recount, in the zone the page is drawn in. One
    query."""
    zone = timezone.get_current_timezone_name()
    rows = _model("ResultCountsState").objects.filter(campaign_id__in=list(campaign_ids))
    counted = rows.filter(zone=zone, recounted_at__isnull=False)
    return set(counted.values_list("campaign_id", flat=True))


def result_counts_real(*, campaign_id: int) -> Deltas:
    """The figures counted from the rows."""
    scope = [Q(campaign_id=campaign_id)]
    return +_tally(scope, results=True, attempts=True)


def result_counts_kept(*, campaign_id: int) -> Deltas:
    rows = _model("ResultCount").objects.filter(campaign_id=campaign_id)
    return +Deltas({tuple(row[:-1]): row[-1] for row in rows.values_list(*_COLUMNS, "n")})


def result_counts_recount(*, campaign_id: int) -> dict[str, int]:
    """Count the campaign's results for real and correct the kept counts (and their time
    zone). Returns the drift found, {"figure list day key code": kept − real} (empty when
    they agreed), logs it and keeps it on the state row."""
    count = _model("ResultCount")
    with transaction.atomic():
        locked = result_counts_lock(campaign_ids=[campaign_id])
        state = locked[campaign_id]
        real = result_counts_real(campaign_id=campaign_id)
        kept = result_counts_kept(campaign_id=campaign_id)
        if state.zone != counts_zone():
            kept = Deltas()  # counted in another zone: every day differs, start over
        drift = {
            " ".join(str(part) for part in key[1:]): kept[key] - real[key]
            for key in set(kept) | set(real)
            if kept[key] != real[key]
        }
        if drift:
            logger.warning(
                "Result counts of campaign %s drifted (kept − real) in %s group(s): %s",
                campaign_id,
                len(drift),
                dict(sorted(drift.items())[:20]),
            )
            count.objects.filter(campaign_id=campaign_id).delete()
            count.objects.bulk_create(
                [count(**dict(zip(_COLUMNS, key, strict=True)), n=n) for key, n in real.items()],
                batch_size=1000,
            )
        state.zone = counts_zone()
        state.recounted_at = timezone.now()
        state.drift = dict(sorted(drift.items())[:200])
        state.save(update_fields=["zone", "recounted_at", "drift"])
    return drift


def result_counts_recount_all() -> dict[int, int]:
    """The beat's recount of every campaign with result rows or kept counts. Returns the
    drifted campaigns: {campaign id: groups that differed}."""
    ids: set[int] = set()
    for name in ("LeadResult", "CallAttempt", "ResultCountsState"):
        rows = _model(name)._base_manager.order_by().values_list("campaign_id", flat=True)
        ids |= set(rows.distinct())
    campaign = apps.get_model("campaigns", "Campaign")
    drifted = {}
    found = campaign.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    for campaign_id in found:
        drift = result_counts_recount(campaign_id=campaign_id)
        if drift:
            drifted[campaign_id] = len(drift)
    return drifted
