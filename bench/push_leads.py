"""Push N leads to each vendor emulator over real HTTP on localhost, through the real
sync engine (outbox job, per-lead state, shared rate limiter), and report leads per
second; for vendors with documented rate limits, also the ratio of the time taken to the
minimum those limits allow, and how many requests the emulator refused for its limits.

    .venv/bin/python bench/push_leads.py                       # 100,000 leads, limits ×10
    .venv/bin/python bench/push_leads.py --time-scale 1        # real time (Ozonetel: ~40 min)
    .venv/bin/python bench/push_leads.py --vendors ozonetel ozonetel-single --leads 20000

``--time-scale S`` speeds up both the emulators' clocks and the console's limiter by S,
so a limit of 5 requests a minute becomes 5 per 60/S seconds on both sides; the output
says so. A throwaway SQLite database and rate-limit file are made under a temp dir.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(var_dir: str, time_scale: float) -> None:
    os.environ.update(
        {
            "VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "dialer_console.settings",
            "SYNC_RATE_LIMIT_TIME_SCALE": str(time_scale),
            "SYNC_JOB_SLICE_SECONDS": "3600",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _serve_sandbox(time_scale: float) -> str:
    """The standalone sandbox server in a thread, its emulators on a sped-up clock."""
    from http.server import ThreadingHTTPServer

    from vendors import sandbox_state
    from vendors.management.commands.vendor_sandbox import SandboxRequestHandler

    origin = time.monotonic()

    def clock() -> float:
        return origin + (time.monotonic() - origin) * time_scale

    for kind in ("acefone", "voicenter", "webitel", "jtel", "ozonetel"):
        emulator_class = sandbox_state.emulator_class_of(kind)
        # Seed this process's emulator with one on the scaled clock: the shared state starts
        # from it (see vendors.sandbox_state).
        sandbox_state._emulators[kind] = emulator_class(
            credentials=sandbox_state.sandbox_credentials(kind), clock=clock
        )

    class BenchHandler(SandboxRequestHandler):
        quiet = True
        # The handler writes a reply's headers and body in two sends; with Nagle on, the
        # body waits for the client's delayed ACK of the headers (~40 ms on Linux), a cost
        # of this test server, not of the engine or of a vendor.
        disable_nagle_algorithm = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), BenchHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/sandbox"


def _campaign(kind: str, base: str, leads: int, batch_size: int | None):
    from campaigns.models import Campaign, CampaignLeadList
    from leads.models import Lead, LeadList
    from tests.vendors.harness import load_harness
    from vendors import sandbox
    from vendors.services import vendor_account_save

    account = vendor_account_save(
        account=None,
        name=f"bench {kind} {time.monotonic_ns()}",
        kind=kind,
        base_url=f"{base}/{kind}",
        credentials=sandbox.sandbox_credentials(kind),
    )
    lead_list = LeadList.objects.create(name=f"bench {kind}")
    for start in range(0, leads, 20_000):
        Lead.objects.bulk_create(
            Lead(lead_list=lead_list, phone=f"+91987{n:07d}", first_name=f"Lead {n}")
            for n in range(start, min(leads, start + 20_000))
        )
    spec = load_harness(kind).campaign_spec()
    campaign = Campaign.objects.create(
        name=f"Bench {kind}",
        vendor_account=account,
        status="active",
        caller_id=spec.caller_id,
        vendor_settings=spec.settings,
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    return campaign


def _minimum_seconds(adapter_class, batches: int, time_scale: float) -> tuple[float, str]:
    """The least time the push's documented limits allow: a sliding window lets
    ``requests`` through at once, then ``requests`` more every window."""
    operation = "lead_push" if adapter_class.max_batch_size == 1 else "lead_push_bulk"
    limits = [
        limit
        for limit in adapter_class.rate_limits
        if not limit.operations or operation in limit.operations
    ]
    if not limits:
        return 0.0, ""
    worst = max(((batches - 1) // limit.requests) * limit.per_seconds for limit in limits)
    described = ", ".join(f"{limit.requests}/{limit.per_seconds:g}s" for limit in limits)
    return worst / time_scale, f"{operation} {described}"


def _refused(account) -> int:
    """Requests the vendor refused for its rate limit, from the console's call log: a 429,
    or Ozonetel V4's 200 with its "already one process is running" body."""
    from vendors.adapters.ozonetel.codes import BULK_BUSY
    from vendors.models import VendorCall

    calls = VendorCall.objects.filter(account=account)
    return (
        calls.filter(status_code=429) | calls.filter(response_excerpt__contains=BULK_BUSY)
    ).count()


def _run(kind: str, base: str, leads: int, time_scale: float) -> dict:
    from django.db import transaction

    from sync.models import LeadSync, LeadSyncState, SyncJob
    from sync.services import jobs
    from sync.services.hooks import campaign_sync_enqueue
    from sync.services.runner import sync_job_run
    from vendors import sandbox
    from vendors.adapters.registry import adapter_class

    vendor = kind.removesuffix("-single")
    cls = adapter_class(vendor)
    original_batch = cls.max_batch_size
    if kind.endswith("-single"):
        cls.max_batch_size = 1  # the legacy one-lead-a-request path
    try:
        campaign = _campaign(vendor, base, leads, None)
        jobs._publish = lambda job_id, countdown=0: None  # this loop is the worker
        emulator = sandbox.sandbox_emulator(vendor)
        requests_before = len(emulator.requests)
        with transaction.atomic():
            campaign_sync_enqueue(campaign=campaign, reason="bench")
        started = time.perf_counter()
        while SyncJob.objects.filter(campaign=campaign, state="pending").exists():
            job = SyncJob.objects.filter(campaign=campaign, state="pending").first()
            wait = (job.not_before.timestamp() - time.time()) if job.not_before else 0
            if wait > 0:
                time.sleep(wait)
            sync_job_run(job_id=job.pk, worker_id="bench")
        elapsed = time.perf_counter() - started
        pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count()
        log = emulator.requests[requests_before:]
        batches = math.ceil(leads / cls.max_batch_size)
        minimum, limits = _minimum_seconds(cls, batches, time_scale)
        return {
            "vendor": kind,
            "leads": leads,
            "pushed": pushed,
            "seconds": elapsed,
            "rate": pushed / elapsed if elapsed else 0,
            "requests": len(log),
            "refused": _refused(campaign.vendor_account),
            "minimum": minimum,
            "limits": limits,
            "job": SyncJob.objects.filter(campaign=campaign).first().state,
            "error": SyncJob.objects.filter(campaign=campaign).first().last_error,
        }
    finally:
        cls.max_batch_size = original_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument(
        "--vendors",
        nargs="+",
        default=["acefone", "voicenter", "webitel", "jtel", "ozonetel"],
        help="vendor kinds; 'ozonetel-single' pushes one lead a request (the 100/min API)",
    )
    parser.add_argument("--time-scale", type=float, default=10.0)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="dc-bench-")
    _setup(var_dir, args.time_scale)
    base = _serve_sandbox(args.time_scale)
    scaled = (
        "" if args.time_scale == 1 else f" (vendor limits and emulator clocks ×{args.time_scale:g})"
    )
    print(f"Pushing {args.leads:,} leads per vendor over HTTP on localhost{scaled}.")
    header = f"{'vendor':<16}{'pushed':>9}{'seconds':>9}{'leads/s':>10}{'requests':>9}"
    print(f"{header}{'refused':>8}  limits")
    for kind in args.vendors:
        row = _run(kind, base, args.leads, args.time_scale)
        line = (
            f"{row['vendor']:<16}{row['pushed']:>9,}{row['seconds']:>9.1f}{row['rate']:>10,.0f}"
            f"{row['requests']:>9,}{row['refused']:>8}"
        )
        if row["minimum"]:
            ratio = row["seconds"] / row["minimum"]
            line += (
                f"  {row['limits']}: minimum {row['minimum']:.1f} s"
                f"{' scaled' if args.time_scale != 1 else ''}, ratio {ratio:.3f}"
            )
        if row["job"] != "done":
            line += f"  (job {row['job']}: {row['error']})"
        print(line, flush=True)


if __name__ == "__main__":
    main()
