"""Calling windows over a big campaign (issue #13): the "why is nothing dialling"
breakdown, the start preview, the gate's selection of the leads callable now and the
readiness check, each timed beside a plain ``COUNT(*)`` of the same leads in the same run,
and the peak memory of the process that runs them.

```sh
createdb -h 127.0.0.1 -U postgres dc_h13bench
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_h13bench
.venv/bin/python manage.py migrate
.venv/bin/python bench/calling_windows.py               # builds 1,000,000 leads, then times
.venv/bin/python bench/calling_windows.py --rounds 9   # times again on the same data
```

The data (built once, by ``INSERT … SELECT`` over ``generate_series`` with the big tables'
secondary indexes and keys dropped during the load and put back from their own
definitions, as ``bench/dataset.py`` does): one active campaign with a calling window of
Mon–Fri 08:00–21:00 in each lead's local time, skipping public holidays and the local
weekend; 5 lead lists of 200,000 leads (4 active, one switched off), their leads spread
over 20 time zones with 2–4 number prefixes each (US numbers carry their state); 5 % of
the leads take their list's zone, and one list has none (1 % of the leads: "unknown
zone"). Statuses: 90 % new, 5 % done, 3 % DNC, 1 % invalid, 1 % removed. Push rows for
75 % of the leads (60 % pushed, 10 % pending, 3 % failed, 2 % DNC) and a dialer result for
20 % (a quarter of them done), the push rows in runs of 100 ids so that every zone has rows
in every state (pushed a day before the run). The kept counts are refreshed by the application's own
recounts.

Timing runs in a child process (``--time-only``), so its peak RSS is the queries' own,
not the build's: the figure a worker running the gate would show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import machine, setup_django  # noqa: E402

LEADS = 1_000_000
LISTS = (  # (default zone, active in the campaign)
    ("America/New_York", True),
    ("Europe/Berlin", True),
    ("Asia/Kolkata", True),
    ("", True),  # no default: its leads without a zone of their own are "unknown zone"
    ("Asia/Tokyo", False),
)
ZONES = {  # zone -> number prefixes (country code and area code)
    "America/New_York": ("+1212", "+1718", "+1617", "+1305"),
    "America/Chicago": ("+1312", "+1713", "+1214"),
    "America/Denver": ("+1303", "+1801"),
    "America/Phoenix": ("+1602", "+1480"),
    "America/Los_Angeles": ("+1213", "+1415", "+1206"),
    "America/Toronto": ("+1416", "+1613"),
    "America/Sao_Paulo": ("+5511", "+5521"),
    "Europe/London": ("+4420", "+44161"),
    "Europe/Berlin": ("+4930", "+4989", "+4940"),
    "Europe/Paris": ("+331", "+334"),
    "Europe/Kyiv": ("+38044", "+38032"),
    "Asia/Jerusalem": ("+9722", "+9723", "+97250"),
    "Asia/Dubai": ("+9714", "+9712"),
    "Asia/Kolkata": ("+9122", "+9180", "+9198"),
    "Asia/Singapore": ("+656", "+658"),
    "Asia/Tokyo": ("+813", "+816"),
    "Australia/Sydney": ("+612", "+614"),
    "Pacific/Auckland": ("+649", "+6421"),
    "Africa/Johannesburg": ("+2711", "+2721"),
    "America/Mexico_City": ("+5255", "+5233"),
}
TARGET_RATIO = 3.0
TARGET_RSS_MB = 200


def build(leads: int) -> None:
    from django.db import connection, transaction

    from bench.dataset import _LoadWithoutIndexes, kept_counts_refresh

    started = time.perf_counter()
    with transaction.atomic():
        campaign, lists = _small_rows()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        tables = ["leads_lead", "sync_leadsync", "results_leadresult"]
        with transaction.atomic(), _LoadWithoutIndexes(cursor, tables):
            _leads(cursor, lists, leads)
            print(f"  leads: {leads:,} in {time.perf_counter() - started:.0f} s")
            _push_and_result_rows(cursor, campaign)
            print(f"  rows written at {time.perf_counter() - started:.0f} s; building indexes")
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    kept_counts_refresh()
    print(f"  built in {time.perf_counter() - started:.0f} s")


def _small_rows():
    from accounts.models import Team
    from campaigns.models import CallingWindow, CallingWindowDay, Campaign, CampaignLeadList
    from leads.models import LeadList

    team = Team.objects.create(name="Windows bench team")
    window = CallingWindow.objects.create(
        name="Weekdays 8-21 local",
        skip_public_holidays=True,
        skip_local_weekend=True,
    )
    CallingWindowDay.objects.bulk_create(
        CallingWindowDay(calling_window=window, weekday=day, start=dt.time(8), end=dt.time(21))
        for day in range(5)
    )
    campaign = Campaign.objects.create(
        name="Windows bench campaign", team=team, status="active", calling_window=window
    )
    lists = [
        LeadList.objects.create(name=f"Windows list {n}", team=team, default_timezone=zone)
        for n, (zone, _active) in enumerate(LISTS)
    ]
    CampaignLeadList.objects.bulk_create(
        CampaignLeadList(campaign=campaign, lead_list=lead_list, position=n, active=active)
        for n, (lead_list, (_zone, active)) in enumerate(zip(lists, LISTS, strict=True))
    )
    return campaign, lists


def _leads(cursor, lists, leads: int) -> None:
    from bench.dataset import insert_select
    from leads.models import Lead

    zones = list(ZONES)
    # Zone z of lead n: (n / 5) % 20 (each list holds every zone); its prefix cycles.
    prefixes = [list(ZONES[zone]) + [ZONES[zone][0]] * (4 - len(ZONES[zone])) for zone in zones]
    flat = [prefix for row in prefixes for prefix in row]  # 4 per zone
    zone_sql = "((g.n / 5) %% 20)"
    overrides = {
        "lead_list_id": f"(ARRAY{[ll.pk for ll in lists]})[1 + g.n %% {len(lists)}]",
        "phone": f"(ARRAY{flat})[1 + {zone_sql} * 4 + (g.n / 100) %% 4] "
        "|| lpad((g.n %% 10000000)::text, 7, '0')",
        "timezone": f"CASE WHEN g.n %% 20 = 3 THEN '' ELSE (ARRAY{zones})[1 + {zone_sql}] END",
        "status": "CASE WHEN g.n %% 100 < 5 THEN 'done' WHEN g.n %% 100 < 8 THEN 'dnc'"
        " WHEN g.n %% 100 < 9 THEN 'invalid' WHEN g.n %% 100 < 10 THEN 'removed'"
        " ELSE 'new' END",
        "source_row": "g.n + 1",
    }
    insert_select(cursor, Lead, overrides, "FROM generate_series(0, %s) AS g(n)", [leads - 1])


def _push_and_result_rows(cursor, campaign) -> None:
    from bench.dataset import insert_select
    from results.models import LeadResult
    from sync.models import LeadSync

    # By the lead's id, not its status: a done or DNC lead may have been pushed before.
    # In runs of 100 ids (``(id / 100) % 100``), which every zone crosses: by ``id % 100``
    # the pending rows would all sit in 3 of the 20 zones (the zone is ``(n / 5) % 20``).
    share = "((l.id / 100) %% 100)"
    insert_select(
        cursor,
        LeadSync,
        {
            "campaign_id": str(int(campaign.pk)),
            "lead_id": "l.id",
            "state": f"CASE WHEN {share} < 60 THEN 'pushed' WHEN {share} < 70"
            f" THEN 'pending' WHEN {share} < 73 THEN 'failed' ELSE 'dnc' END",
            # Pushed a day before the run: their window has closed since where it is shut.
            "pushed_at": f"CASE WHEN {share} < 60 THEN now() - interval '1 day' END",
        },
        f"FROM leads_lead l WHERE {share} < 75",
    )
    insert_select(
        cursor,
        LeadResult,
        {
            "campaign_id": str(int(campaign.pk)),
            "lead_id": "l.id",
            "attempts": "1 + l.id %% 3",
            "done": "(l.id %% 20 = 7)",
            "source": "'pull'",
            "reported_at": "now()",
        },
        "FROM leads_lead l WHERE l.id %% 5 = 2",
    )


# --- timing (in a child process) ----------------------------------------------------------

GATE_BATCH = 3000  # the largest push batch of the five adapters (Voicenter's)


class _RolledBack(Exception):
    pass


def time_all(rounds: int) -> None:
    """Each round times the plain COUNT(*) and then every row once, so each ratio is taken
    against a baseline measured moments before it on the same (shared, loaded) machine;
    the figure reported is the median of the per-round ratios."""
    from django.db import connection, transaction
    from django.utils import timezone

    from campaigns.models import Campaign, CampaignLeadList
    from campaigns.readiness import campaign_dial_readiness
    from leads.models import Lead
    from results.models import LeadResult
    from sync.dialling import campaign_breakdown
    from sync.models import LeadSync, LeadSyncState
    from sync.services.push import _due, _take_batch
    from sync.start_preview import campaign_start_preview
    from sync.window_gate import TAKE_BACK_SLICE, Gate, take_back_rows
    from vendors.adapters.types import WindowMeans

    rss_before = _peak_rss_mb()
    campaign = Campaign.objects.select_related("calling_window").get(name="Windows bench campaign")
    at = timezone.now()
    lists = list(
        CampaignLeadList.objects.filter(campaign=campaign).values_list("lead_list_id", flat=True)
    )
    link, lead = CampaignLeadList._meta.db_table, Lead._meta.db_table
    push, result = LeadSync._meta.db_table, LeadResult._meta.db_table
    means = WindowMeans()  # the console gates (GATE): what the push job runs

    def count():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {lead} l JOIN {link} link"  # noqa: S608
                " ON link.lead_list_id = l.lead_list_id WHERE link.campaign_id = %s",
                [campaign.pk],
            )
            return cursor.fetchone()[0]

    def count_joined():
        with connection.cursor() as cursor:
            cursor.execute(
                # Counting their columns: a LEFT JOIN whose columns are unused is removed.
                f"SELECT COUNT(push.state) + COUNT(result.done) FROM {lead} l"  # noqa: S608
                f" JOIN {link} link ON link.lead_list_id = l.lead_list_id"
                f" AND link.campaign_id = %s"
                f" LEFT JOIN {push} push ON push.campaign_id = %s AND push.lead_id = l.id"
                f" LEFT JOIN {result} result ON result.campaign_id = %s"
                " AND result.lead_id = l.id",
                [campaign.pk] * 3,
            )
            return cursor.fetchone()[0]

    built = {}

    def gate():
        # Built once per push slice (leads_push_slice); its batches then reuse it.
        built["gate"] = Gate.for_campaign(means=means, campaign=campaign, at=at)
        return built["gate"]

    def gate_selection_count():
        # The rows leads_push_slice asks about at its deadline, counted rather than EXISTS.
        pending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
        return built["gate"].pending(pending.filter(_due())).count()

    def gate_read_batch():
        # _take_batch's read, without its claim.
        pending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
        rows = built["gate"].pending(pending.filter(_due())).select_related("lead__lead_list")
        return len(rows.order_by("lead_id")[:GATE_BATCH])

    def gate_first_batch():
        # The push job's own claim (read, mark SENDING), rolled back.
        taken = 0
        try:
            with transaction.atomic():
                _token, rows = _take_batch(campaign, GATE_BATCH, built["gate"])
                taken = len(rows)
                raise _RolledBack
        except _RolledBack:
            pass
        return taken

    def take_back_first():
        # What leads_take_back_slice reads: the selection, whether it has a row, and its
        # first slice with the leads.
        found = take_back_rows(campaign=campaign, at=at)
        if not found.exists():
            return 0
        return len(found.select_related("lead").order_by("lead_id")[:TAKE_BACK_SLICE])

    def take_back_count():
        return take_back_rows(campaign=campaign, at=at).count()

    rows = [
        ("COUNT joined to push and result rows", count_joined),
        ("breakdown (why dialling or not)", lambda: campaign_breakdown(campaign=campaign, at=at)),
        ("start preview", lambda: campaign_start_preview(campaign=campaign, at=at)),
        ("gate: judge the pending rows' groups", lambda: f"{len(gate().allowed)} open groups"),
        # The gate as built just above, as a push slice reuses it for each batch.
        ("gate selection: count", gate_selection_count),
        (f"gate selection: read a batch of {GATE_BATCH:,}", gate_read_batch),
        (f"gate selection: claim a batch of {GATE_BATCH:,}", gate_first_batch),
        (f"take-back: its first {TAKE_BACK_SLICE} rows", take_back_first),
        ("take-back selection: count", take_back_count),
        ("readiness (EXISTS callable lead)", lambda: campaign_dial_readiness(campaign=campaign)),
    ]
    baselines, times = [], {label: [] for label, _run in rows}
    ratios = {label: [] for label, _run in rows}
    results, total = {}, None
    for _ in range(rounds):
        for label, run in rows:
            started = time.perf_counter()
            total = count()
            base = (time.perf_counter() - started) * 1000
            baselines.append(base)
            started = time.perf_counter()
            results[label] = run()
            ms = (time.perf_counter() - started) * 1000
            times[label].append(ms)
            ratios[label].append(ms / base)

    print(machine())
    print(f"At {at:%Y-%m-%d %H:%M} UTC ({at:%A}); {len(lists)} lists; {rounds} rounds;")
    print("  each row timed right after its own COUNT(*); medians of the times and of the ratios")
    baseline = statistics.median(baselines)
    print(f"  COUNT(*) of the campaign's leads         {baseline:8.0f} ms   {total:,} leads")
    for label, _run in rows:
        ms, ratio = statistics.median(times[label]), statistics.median(ratios[label])
        mark = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(f"  {label:<40} {ms:8.0f} ms   p50 {ratio:5.2f}× COUNT"
              f"  ({mark} ≤ {TARGET_RATIO:g}×)   {_describe(results[label])}")  # fmt: skip
    peak = _peak_rss_mb()
    mark = "meets" if peak < TARGET_RSS_MB else "MISSES"
    print(
        f"  peak RSS of this process: {peak:.0f} MB (after Django's setup: {rss_before:.0f} MB)"
        f"  ({mark} < {TARGET_RSS_MB} MB)"
    )


def _describe(result) -> str:
    if hasattr(result, "counts"):
        return f"total {result.total:,}; ready {result.counts['ready']:,}"
    if hasattr(result, "within_24h"):
        return (
            f"now {result.now:,}, later today {result.later_today:,}, tomorrow {result.tomorrow:,}"
        )
    if hasattr(result, "problem"):
        return f"problem: {result.problem or 'none'}"
    if isinstance(result, str):
        return result
    return f"{result:,} leads" if isinstance(result, int) else ""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=LEADS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.time_only:
        time_all(args.rounds)
        return
    from campaigns.models import Campaign

    if not Campaign.objects.filter(name="Windows bench campaign").exists():
        print(f"Building {args.leads:,} leads")
        build(args.leads)
    subprocess.run(
        [sys.executable, __file__, "--time-only", "--rounds", str(args.rounds)], check=True
    )


if __name__ == "__main__":
    main()
