"""Export benchmark: a campaign's leads with their outcomes, streamed as CSV and as xlsx,
beside the database read alone, each in its own process that reports its peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_export_bench \\
        .venv/bin/python bench/export_leads.py [--leads 1000000] [--rebuild]

1. Builds (once, or with --rebuild) one team, one campaign with a disposition list, one
   lead list of --leads leads, and a result row for 70 % of them (PostgreSQL only:
   ``INSERT … SELECT generate_series``).
2. ``read``: the same keyset chunks the export reads (leads, their result rows, their
   console dispositions), nothing written: the baseline.
3. ``csv`` and ``xlsx``: the export view's streamed response, consumed to /dev/null.

Prints rows/s and peak RSS of each, and the load average at the start and the end.
``--page`` instead times the results page on that campaign: its figures from the kept counts
and from the rows (before them), and the whole page; p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialer_console.settings")
CAMPAIGN_NAME = "Export benchmark"


def _setup():
    import django

    django.setup()


def build(leads: int) -> None:
    from django.db import connection

    from accounts.models import Team
    from campaigns.models import Campaign, CampaignLeadList, DispositionCode, DispositionList
    from leads.models import LeadList

    Campaign.objects.filter(name=CAMPAIGN_NAME).delete()
    LeadList.objects.filter(name=CAMPAIGN_NAME).delete()
    team, _ = Team.objects.get_or_create(name="Export bench team")
    codes, _ = DispositionList.objects.get_or_create(name="Export bench outcomes")
    for position, (code, final) in enumerate((("SALE", True), ("NA", False), ("NI", True))):
        DispositionCode.objects.get_or_create(
            disposition_list=codes, code=code,
            defaults={"label": code, "is_final": final, "position": position},
        )  # fmt: skip
    lead_list = LeadList.objects.create(name=CAMPAIGN_NAME, team=team)
    campaign = Campaign.objects.create(name=CAMPAIGN_NAME, team=team, disposition_list=codes)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO leads_lead (lead_list_id, phone, alternate_phones, first_name,
                   last_name, email, timezone, custom_fields, priority, status, created_at,
                   updated_at)
               SELECT %s, '+1212' || lpad(n::text, 7, '0'), '[]', 'Ada', '=Lovelace',
                   'ada' || n || '@example.test', 'America/New_York', '{}', 0, 'new',
                   now(), now()
               FROM generate_series(1, %s) AS n""",
            [lead_list.pk, leads],
        )
        cursor.execute(
            """INSERT INTO results_leadresult (campaign_id, lead_id, attempts,
                   last_attempt_at, last_result_raw, last_result_code, agent, done, source,
                   reported_at)
               SELECT %s, id, 1 + id %% 3, now() - (id %% 30) * interval '1 day',
                   'dial_status_' || id %% 4, (ARRAY['SALE', 'NA', 'NI', ''])[1 + id %% 4],
                   'agent' || id %% 7, id %% 2 = 0, 'pull', now()
               FROM leads_lead WHERE lead_list_id = %s AND id %% 10 < 7""",
            [campaign.pk, lead_list.pk],
        )
        cursor.execute(ATTEMPTS_SQL, [campaign.pk])
        for table in ("leads_lead", "results_leadresult", "results_callattempt"):
            cursor.execute(f"ANALYZE {table}")
    count_kept(campaign, lead_list)


# One attempt per result row at its last attempt time, for the chart (about 700,000).
ATTEMPTS_SQL = """INSERT INTO results_callattempt (campaign_id, lead_id, attempted_at,
        result_raw, result_code, agent, source, vendor_event_id)
    SELECT campaign_id, lead_id, last_attempt_at, last_result_raw, last_result_code, agent,
        'pull', lead_id || '@bench'
    FROM results_leadresult WHERE campaign_id = %s"""


def count_kept(campaign, lead_list) -> None:
    """The counts the application keeps, which the SQL above bypassed: the list's (as an
    import leaves them) and the campaign's result figures (as beat's recount makes them)."""
    from leads.services.lead_lists import lead_list_counts_refresh
    from results.kept_counts import result_counts_recount

    lead_list_counts_refresh(lead_list=lead_list)
    result_counts_recount(campaign_id=campaign.pk)


def _quantiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(1000 * ordered[len(ordered) // 2], 1), "p95_ms": round(1000 * p95, 1)}


def run_page(rounds: int = 30) -> dict:
    """The results page's figures for the benchmark campaign (all of its one list), read
    from the kept counts and, for comparison, from the result rows (as before), then the
    whole page (``GET /campaigns/<id>/results/`` as a superuser, through Django's test
    client: middleware, view, template) and, for the machine's load, the campaign's own
    page, interleaved."""
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from campaigns.models import Campaign
    from results.selectors import ResultsFilter, campaign_results

    setup_test_environment()
    # Static names come hashed from the manifest, as in production (bench/pages.py).
    call_command("collectstatic", interactive=False, verbosity=0)
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    lead_lists = list(campaign.lead_lists.all())
    user, _ = User.objects.get_or_create(username="export-bench", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    url = reverse("results:campaign", args=[campaign.pk])
    today = timezone.localdate()
    ranged = f"{url}?since={today - timedelta(days=9)}&until={today}"
    urls = {
        "page": url,
        "page_range": ranged,
        "campaign_page": reverse("campaigns:detail", args=[campaign.pk]),
    }
    timings: dict[str, list[float]] = {"kept": [], "rows": [], **{mode: [] for mode in urls}}
    for round_ in range(rounds):
        for mode in ("kept", *urls) + (("rows",) if round_ < 3 else ()):
            started = time.perf_counter()
            if mode in urls:
                response = client.get(urls[mode])
                assert response.status_code == 200, response.status_code
                assert mode == "campaign_page" or not response.context["results"].counted_from_rows
            else:
                campaign_results(
                    campaign=campaign, user=None, filters=ResultsFilter(),
                    lead_lists=lead_lists, from_rows=mode == "rows",
                )  # fmt: skip
            timings[mode].append(time.perf_counter() - started)
    return {"mode": "page", **{mode: _quantiles(found) for mode, found in timings.items()}}


def run(mode: str) -> dict:
    from campaigns.models import Campaign
    from dialer_console.exports import export_response
    from results.exports import _lead_rows, campaign_leads_table

    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    lead_lists = list(campaign.lead_lists.all())
    started = time.perf_counter()
    rows = 0
    if mode == "read":
        for _ in _lead_rows(campaign, lead_lists, {}):
            rows += 1
    else:
        table = campaign_leads_table(campaign=campaign, lead_lists=lead_lists)
        response = export_response(table, file_format=mode, delimiter=";")
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        rows = campaign.lead_lists.get().leads.count()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "rows": rows, "seconds": round(seconds, 1),
            "rows_per_s": round(rows / seconds), "peak_rss_mb": round(peak_mb)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", choices=("read", "csv", "xlsx", "page"))
    parser.add_argument("--page", action="store_true", help="time the results page's figures")
    args = parser.parse_args()
    _setup()
    if args.child:
        print(json.dumps(run_page() if args.child == "page" else run(args.child)))
        return
    from django.db import connection

    from campaigns.models import Campaign

    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")
    if args.rebuild or not Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
        started = time.perf_counter()
        build(args.leads)
        print(f"built {args.leads:,} leads in {time.perf_counter() - started:.0f} s")
    print(f"cpus {os.cpu_count()}, load average at start {os.getloadavg()}")
    for mode in ("page",) if args.page else ("read", "csv", "xlsx"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode], capture_output=True, text=True, check=True
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if mode == "page":
            print(f"figures from the kept counts (30 runs): {result['kept']}")
            print(f"the results page, GET (30 runs): {result['page']}")
            print(f"the page with its last 10 days chosen (30 runs): {result['page_range']}")
            print(f"beside it, the campaign's own page (30 runs): {result['campaign_page']}")
            print(f"figures from the result rows, as before (3 runs): {result['rows']}")
            continue
        print(
            f"{result['mode']:>5}: {result['rows']:,} rows in {result['seconds']} s, "
            f"{result['rows_per_s']:,} rows/s, peak RSS {result['peak_rss_mb']} MB"
        )
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
