"""Page benchmark (issue #18): every app page and API list beside the Django admin page for
the same data, on PostgreSQL at 5 million leads (or ``--leads N``).

    createdb -h 127.0.0.1 -U postgres dc_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_bench \
        .venv/bin/python bench/pages.py [--leads 5000000] [--rebuild] [--rounds 22]

1. Migrates, and builds the data set (bench/dataset.py) unless it is there already at
   that size (``--rebuild`` empties the database first; it must be named *bench*).
   Checks the lead lists' kept counts against the rows.
2. Times each page with DEBUG off through Django's test Client, logged in as a staff
   supervisor: one warm-up round (which also counts each page's SQL queries), then
   ``--rounds`` rounds, each page timed right before its admin counterpart, so both see
   the same caches. In process, not over HTTP: the figure is the request's own cost
   (middleware, views, queries, templates) without a server's queueing, which
   bench/load.py measures against gunicorn.
3. Prints p50/p95 per page beside its admin pair and the targets: app p95 <= 50 ms, the
   admin >= 5x slower, and the sync panel poll as fast on a 1k campaign as on the 1M one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP_P95_MS = 50.0
ADMIN_FACTOR = 5.0
POLL_SIZE_FACTOR = 1.5  # "independent of size": the 1M poll within 1.5x of the 1k poll


def setup_django() -> None:
    """DEBUG off as in production; throwaway secrets, as this runs on a bench database."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialer_console.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("VENDOR_CREDENTIALS_KEYS", "YmVuY2gtb25seS1mZXJuZXQta2V5LTMyLWJ5dGVzISE=")
    os.environ.setdefault("VENDOR_SANDBOX", "0")
    # The bench accounts point at a closed loopback port: nothing here calls a vendor.
    os.environ.setdefault("VENDOR_ALLOWED_PRIVATE_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def machine() -> str:
    """The machine, the database and how busy both are, printed with every figure."""
    from django.db import connection

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} CPUs ({model}), PostgreSQL {version}, "
        f"load average {load} (1/5/15 min)"
    )


def ensure_data(*, leads: int, rebuild: bool, say=print):
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset
    from leads.models import Lead

    name = connection.settings_dict["NAME"]
    call_command("migrate", verbosity=0)
    # DEBUG off serves hashed names from the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    have = Lead.objects.count() if not rebuild else -1
    if have not in (0, -1) and not rebuild:
        say(f"Using the data already in {name} ({have:,} leads; --rebuild to start again).")
    else:
        if "bench" not in name:
            sys.exit(f"Refusing to empty {name!r}: the bench database's name must hold 'bench'.")
        call_command("flush", interactive=False, verbosity=0)
        say(f"Building {leads:,} leads in {name}:")
        dataset.build(leads=leads, say=say)
    with connection.cursor() as cursor:
        wrong = dataset.kept_counts_check(cursor)
    if wrong:
        sys.exit("Kept counts differ from the rows:\n  " + "\n  ".join(wrong[:20]))
    say("Kept counts equal the rows (all lead lists).")
    return dataset.describe()


def page_pairs(data) -> list[tuple[str, str, str | None, dict]]:
    """(label, app URL, admin URL for the same data, extra headers)."""
    htmx = {"HTTP_HX_REQUEST": "true"}
    big, small, late = data.big_campaign, data.small_campaign, data.late_list
    prefix = data.phone_prefix.replace("+", "%2B")
    return [
        ("home", "/", "/admin/", {}),
        ("campaign list", "/campaigns/", "/admin/campaigns/campaign/", {}),
        (
            "campaign detail (1M)",
            f"/campaigns/{big}/",
            f"/admin/campaigns/campaign/{big}/change/",
            {},
        ),
        (
            "campaign leads (1M)",
            f"/campaigns/{big}/leads/",
            f"/admin/sync/leadsync/?campaign={big}",
            {},
        ),
        ("panel poll (1M)", f"/sync/campaigns/{big}/panel/", None, htmx),
        ("panel poll (1k)", f"/sync/campaigns/{small}/panel/", None, htmx),
        ("lead-list list", "/leads/", "/admin/leads/leadlist/", {}),
        ("late list, page 1", f"/leads/{late}/", f"/admin/leads/lead/?lead_list={late}", {}),
        (
            "phone prefix search",
            f"/leads/{data.big_list}/?phone={prefix}",
            f"/admin/leads/lead/?lead_list={data.big_list}&q={prefix}",
            {},
        ),
        ("DNC page", "/dnc/", "/admin/leads/dncentry/", {}),
        ("sync jobs", "/sync/jobs/", "/admin/sync/syncjob/", {}),
        (
            "call log",
            f"/vendors/accounts/{data.call_account}/calls/",
            f"/admin/vendors/vendorcall/?account={data.call_account}",
            {},
        ),
        ("API campaigns", "/api/v1/campaigns/", "/admin/campaigns/campaign/", {}),
        ("API lead lists", "/api/v1/lead-lists/", "/admin/leads/leadlist/", {}),
        (
            "API leads, late list",
            f"/api/v1/leads/?lead_list={late}",
            f"/admin/leads/lead/?lead_list={late}",
            {},
        ),
        ("API DNC entries", "/api/v1/dnc-entries/", "/admin/leads/dncentry/", {}),
        ("API sync jobs", "/api/v1/sync/jobs/", "/admin/sync/syncjob/", {}),
        (
            "API campaign sync (1M)",
            f"/api/v1/sync/campaigns/{big}/",
            f"/admin/sync/campaignremote/?campaign={big}",
            {},
        ),
    ]


def _timed(client, url: str, headers: dict) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed, len(response.content)


def _queries(client, url: str, headers: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, **headers)
    return len(captured.captured_queries)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(pairs, rounds: int) -> dict[str, dict]:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    results = {
        label: {"app": [], "admin": [], "queries": _queries(client, app, headers)}
        | {"admin_queries": _queries(client, admin, {}) if admin else None}
        for label, app, admin, headers in pairs
    }
    for round_ in range(rounds):
        print(f"  round {round_ + 1}/{rounds}", file=sys.stderr, flush=True)
        for label, app, admin, headers in pairs:
            results[label]["app"].append(_timed(client, app, headers)[0])
            if admin:
                results[label]["admin"].append(_timed(client, admin, {})[0])
    return results


def report(pairs, results, rounds: int, data) -> list[str]:
    """Print the table; return the targets missed."""
    missed = []
    print(f"\n{rounds} interleaved rounds; ms. Targets: app p95 <= {APP_P95_MS:g} ms,")
    print(
        f"admin >= {ADMIN_FACTOR:g}x slower (p50), panel poll 1M within {POLL_SIZE_FACTOR}x of 1k."
    )
    print(
        f"{'page':<24}{'p50':>8}{'p95':>8}{'SQL':>5}  {'admin p50':>9}{'p95':>8}{'SQL':>5}"
        f"{'x':>6}  target"
    )
    for label, _app_url, admin_url, _ in pairs:
        row = results[label]
        p50, p95 = percentile(row["app"], 0.5), percentile(row["app"], 0.95)
        verdicts = ["ok" if p95 <= APP_P95_MS else f"p95 > {APP_P95_MS:g}"]
        line = f"{label:<24}{p50:>8.1f}{p95:>8.1f}{row['queries']:>5}  "
        if admin_url:
            a50, a95 = percentile(row["admin"], 0.5), percentile(row["admin"], 0.95)
            factor = a50 / p50
            verdicts.append("admin ok" if factor >= ADMIN_FACTOR else "admin < 5x")
            line += f"{a50:>9.1f}{a95:>8.1f}{row['admin_queries']:>5}{factor:>6.1f}"
        else:
            line += f"{'-':>9}{'-':>8}{'-':>5}{'-':>6}"
        missed += [f"{label}: {v}" for v in verdicts if not v.endswith("ok")]
        print(f"{line}  {', '.join(verdicts)}")
    poll_big = percentile(results["panel poll (1M)"]["app"], 0.5)
    poll_small = percentile(results["panel poll (1k)"]["app"], 0.5)
    ratio = poll_big / poll_small
    verdict = "ok" if ratio <= POLL_SIZE_FACTOR else "grows with the campaign"
    print(f"\nPanel poll p50: 1M campaign {poll_big:.1f} ms, 1k campaign {poll_small:.1f} ms,")
    print(f"ratio {ratio:.2f} (target <= {POLL_SIZE_FACTOR}): {verdict}")
    if verdict != "ok":
        missed.append(f"panel poll: {verdict}")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=5_000_000)
    parser.add_argument("--rebuild", action="store_true", help="empty the database and build")
    parser.add_argument("--rounds", type=int, default=22)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    setup_django()
    data = ensure_data(leads=args.leads, rebuild=args.rebuild)
    print(
        f"Campaign {data.big_campaign} holds the big list {data.big_list}; campaign "
        f"{data.small_campaign} the list nearest 1k; list {data.late_list} starts last."
    )
    if args.build_only:
        return
    pairs = page_pairs(data)
    print(machine())
    results = measure(pairs, args.rounds)
    missed = report(pairs, results, args.rounds, data)
    print(machine())
    print(f"\nTargets missed: {len(missed)}" + "".join(f"\n  {m}" for m in missed))


if __name__ == "__main__":
    main()
