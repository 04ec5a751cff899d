"""Load benchmark (issue #18): 200 logged-in users with 2.5-7.5 s of think time for 60 s
over the app's pages and API lists, against gunicorn on loopback, on the page
benchmark's PostgreSQL data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_bench \
        .venv/bin/python bench/load.py [--users 200] [--seconds 60] \
        [--workers 3] [--worker-class sync|gthread] [--threads 4] [--port 8106]

A bounded closed-loop generator (each user waits for its reply, thinks, asks again, as a
locust user does) in one asyncio loop with httpx, both already dependencies: 200 users
at 5 s of mean think time ask ~40 requests a second, which one loop sends with little
CPU, and the machine's two cores are left to the server. Each user has its own session,
written to the session store before the run (200 password logins would cost the server
~200 PBKDF2 rounds of CPU that no steady state has). Builds the data set first if the
database is empty (bench/pages.py). Prints throughput, errors, p50/p95/p99 beside the
target (0 errors, p95 <= 300 ms) and the server's CPU time per request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import ensure_data, machine, page_pairs, percentile, setup_django  # noqa: E402

P95_TARGET_MS = 300.0


def sessions(count: int) -> list[str]:
    """Session keys of the bench supervisor, as a login would write them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from accounts.models import User

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    user = User.objects.get(username="bench")
    keys = []
    for _ in range(count):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


def start_gunicorn(args) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "dialer_console.wsgi:application",
        f"--bind=127.0.0.1:{args.port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        "--log-level=warning",
        "--timeout=120",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{args.port}/accounts/login/", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the gunicorn master's worker processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


async def user_loop(client, cookie, urls, deadline, think, samples, errors, rng) -> None:
    await asyncio.sleep(rng.uniform(0, think[1]))  # users arrive spread over one think time
    while time.monotonic() < deadline:
        label, url, headers = rng.choice(urls)
        started = time.perf_counter()
        try:
            response = await client.get(url, headers={**headers, "Cookie": cookie})
            await response.aread()
            if response.status_code != 200:
                errors[f"{label}: HTTP {response.status_code}"] += 1
            else:
                samples[label].append((time.perf_counter() - started) * 1000)
        except Exception as error:  # noqa: BLE001 - every failure is counted, by kind
            errors[f"{label}: {type(error).__name__}"] += 1
        await asyncio.sleep(rng.uniform(*think))


async def run_load(args, keys, urls) -> tuple[dict, Counter, float]:
    import httpx
    from django.conf import settings

    samples: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    limits = httpx.Limits(max_connections=args.users, max_keepalive_connections=args.users)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{args.port}", timeout=30, limits=limits
    ) as client:
        started = time.monotonic()
        deadline = started + args.seconds
        await asyncio.gather(
            *(
                user_loop(
                    client,
                    f"{settings.SESSION_COOKIE_NAME}={key}",
                    urls,
                    deadline,
                    (args.think_min, args.think_max),
                    samples,
                    errors,
                    random.Random(n),  # noqa: S311 - reproducible load
                )
                for n, key in enumerate(keys)
            )
        )
        return samples, errors, time.monotonic() - started


def report(samples, errors, elapsed: float, cpu: float, args) -> None:
    every = [ms for label in samples for ms in samples[label]]
    done, failed = len(every), sum(errors.values())
    print(
        f"\n{args.users} users, think {args.think_min:g}-{args.think_max:g} s, {args.seconds} s; "
        f"gunicorn {args.workers} x {args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
    )
    print(f"{'page':<24}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}  (ms)")
    for label in sorted(samples):
        row = samples[label]
        print(
            f"{label:<24}{len(row):>6}{percentile(row, 0.5):>9.1f}"
            f"{percentile(row, 0.95):>9.1f}{percentile(row, 0.99):>9.1f}"
        )
    p95 = percentile(every, 0.95) if every else float("inf")
    print(
        f"{'all':<24}{done:>6}{percentile(every, 0.5):>9.1f}{p95:>9.1f}"
        f"{percentile(every, 0.99):>9.1f}"
    )
    print(f"\nThroughput {done / elapsed:.1f} req/s over {elapsed:.1f} s; errors {failed}")
    for kind, count in errors.most_common():
        print(f"  {count:>5}  {kind}")
    if done:
        print(f"Server CPU {cpu:.1f} s: {cpu * 1000 / (done + failed):.1f} ms per request")
    verdict = "met" if failed == 0 and p95 <= P95_TARGET_MS else "missed"
    print(f"Target 0 errors and p95 <= {P95_TARGET_MS:g} ms: {verdict} (p95 {p95:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think-min", type=float, default=2.5)
    parser.add_argument("--think-max", type=float, default=7.5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--leads", type=int, default=5_000_000, help="if the data is not there")
    args = parser.parse_args()
    setup_django()
    data = ensure_data(leads=args.leads, rebuild=False)
    urls = [(label, app, headers) for label, app, _admin, headers in page_pairs(data)]
    keys = sessions(args.users)
    server = start_gunicorn(args)
    print(machine())
    try:
        cpu_before = server_cpu_seconds(server.pid)
        samples, errors, elapsed = asyncio.run(run_load(args, keys, urls))
        cpu = server_cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(samples, errors, elapsed, cpu, args)
    print(machine())


if __name__ == "__main__":
    main()
