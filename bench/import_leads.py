"""Lead import benchmark: raw COPY vs the full import vs django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_leads_bench DEBUG=1 \
        .venv/bin/python bench/import_leads.py [--rows 1000000] [--peer-rows 100000]

1. Generates a deterministic lead file (6 columns, mixed phone formats, ~2% repeats,
   ~1% junk numbers) under --workdir.
2. Times a raw ``COPY … FROM STDIN (FORMAT csv)`` of that file into a 6-column text table.
3. Loads 100,000 DNC numbers, then times the full import (read, normalise, COPY into
   staging, set-based dedupe and DNC scrub, INSERT into leads) in a separate worker
   process, which reports its own peak memory.
4. Times django-import-export importing the first --peer-rows rows into the same model.

Prints the figures side by side with the targets: the import at most 1.3x the floor (writing
only the kept rows into ``leads_lead``, measured in the same run) and peak memory < 300 MB.
The raw COPY is printed beside them for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialer_console.settings")

FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "Jürgen",
    "Zoë",
    "Priya",
    "Noa",
    "Arjun",
    "Yael",
    "François",
    "Renée",
)
LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Müller",
    "Cohen",
    "Sharma",
    "Patel",
    "Levi",
    "Dupré",
    "O'Neil",
    "Weiß",
)
CITIES = (
    "New York",
    "Chicago",
    "Houston",
    "Phoenix",
    "Philadelphia",
    "San Antonio",
    "Dallas",
    "Berlin",
    "London",
    "Mumbai",
    "Tel Aviv",
    "Toronto",
)
AREA_CODES = ("212", "312", "713", "602", "215", "210", "214", "415", "617", "305", "404", "206")
# US-formatted numbers dominate US lead files; the rest are international or junk.
US_FORMATS = (
    "({a}) {x}-{l}", "{a}-{x}-{l}", "+1 {a} {x} {l}", "1{a}{x}{l}", "{a}.{x}.{l}", "{a}{x}{l}",
)  # fmt: skip
INTERNATIONAL = (
    "+44 20 7946 {l}", "+49 30 {x}{l}", "+91 98{x}{l}0", "+972 52-{x}-{l}", "+1 416 {x} {l}",
)  # fmt: skip
HEADER = "Phone,First Name,Last Name,Email,City,Mobile\n"


def _us_number(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(200, 999)), f"{rng.randint(0, 9999):04d}"


def generate(path: Path, rows: int, seed: int = 20261122) -> list[str]:
    """Write the file; return a sample of its E.164 numbers for the DNC list."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    seen: list[str] = []
    dnc_sample: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for n in range(rows):
            roll = rng.random()
            if roll < 0.02 and seen:
                phone = rng.choice(seen)  # a repeat
            elif roll < 0.03:
                phone = rng.choice(("n/a", "12345", "call back", "000-000-0000"))
            elif roll < 0.11:
                area, exchange, line = _us_number(rng)
                phone = rng.choice(INTERNATIONAL).format(x=exchange, l=line)
            else:
                area, exchange, line = _us_number(rng)
                phone = rng.choice(US_FORMATS).format(a=area, x=exchange, l=line)
                if len(seen) < 50_000:
                    seen.append(phone)
                if n % 50 == 0:
                    dnc_sample.append(f"+1{area}{exchange}{line}")
            first, last = rng.choice(FIRST), rng.choice(LAST)
            mobile = ""
            if rng.random() < 0.3:
                mobile = "({}) {}-{}".format(*_us_number(rng))
            email = f"{first.lower()}.{n}@example.test"
            out.write(f'{phone},{first},"{last}",{email},{rng.choice(CITIES)},{mobile}\n')
    return dnc_sample


def _django():
    import django

    django.setup()


def raw_copy_seconds(path: Path) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_leads")
        cursor.execute(
            "CREATE TABLE bench_raw_leads (phone text, first_name text, last_name text, "
            "email text, city text, mobile text)"
        )
    started = time.perf_counter()
    sql = "COPY bench_raw_leads FROM STDIN (FORMAT csv, HEADER true)"
    with connection.cursor() as cursor, path.open("rb") as source, cursor.copy(sql) as copy:
        while block := source.read(1024 * 1024):
            copy.write(block)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_leads")
    return elapsed


def empty_leads() -> None:
    """Every run starts from an empty leads table (the database is the benchmark's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE leads_lead, leads_importstagingrow, leads_importrejection CASCADE")


def load_dnc(sample: list[str], total: int = 100_000) -> None:
    from django.db import connection

    rng = random.Random(7)  # noqa: S311
    # Distinct numbers: an entry is listed once per scope (a unique constraint).
    numbers = dict.fromkeys(list(dict.fromkeys(sample))[: total // 10])
    while len(numbers) < total:
        area = rng.choice(("202", "303", "503", "702"))
        numbers[f"+1{area}{rng.randint(2000000, 9999999)}"] = None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM leads_dncentry")
        with cursor.copy(
            "COPY leads_dncentry (phone, scope, reason, source, created_at) FROM STDIN"
        ) as copy:
            for number in numbers:
                copy.write_row((number, "everywhere", "bench", "bench", "2026-01-01T00:00:00Z"))
        # Statistics as autovacuum would have them on a list that was not loaded a second ago.
        cursor.execute("ANALYZE leads_dncentry")


def prepare_job(path: Path, *, into_list_of: int | None = None, policy: str = "") -> int:
    from django.core.files import File

    from leads import services
    from leads.models import ImportJob, LeadList

    # A fresh list each run; main() has emptied the leads table, so every run imports into
    # the same state. A re-import goes into the list of job ``into_list_of``.
    if into_list_of:
        lead_list = ImportJob.objects.get(pk=into_list_of).lead_list
    else:
        lead_list = LeadList.objects.create(name=f"bench {path.name}", default_country="US")
    with path.open("rb") as source:
        # Stored as an upload would be: the storage copies it under MEDIA_ROOT.
        job = services.import_job_create(
            lead_list=lead_list, upload=File(source, name=path.name), acting_user=None
        )
    services.import_job_configure(
        job=job,
        mapping=job.mapping,
        default_country="US",
        acting_user=None,
        **({"duplicate_policy": policy} if policy else {}),
    )
    services.import_job_start(job=job, enqueue=False)
    return job.pk


def _run_worker(job_id: int, args) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            str(job_id),
            *(["--profile", str(args.profile)] if args.profile else []),
            *(["--sequential"] if args.sequential else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def reimport_update(path: Path, job_id: int, args) -> None:
    """The same file again into the same list with the "update" policy: every kept row
    updates its lead (the path that writes each lead's change history, issue 16)."""
    again = _run_worker(prepare_job(path, into_list_of=job_id, policy="update"), args)
    rate = again["rows_read"] / again["seconds"]
    print(f"re-import, update policy: {again} ({rate:,.0f} rows/s)")


def worker(job_id: int, profile: Path | None = None, sequential: bool = False) -> None:
    """Runs in its own process, like a Celery worker: the import, its time, its memory."""
    _django()
    from leads.services import lead_import_run

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if sequential:
        # The import as it was: all rows read and staged first, then loaded in one go.
        from leads.services import import_run

        import_run._can_load_while_reading = lambda: False
    started = time.perf_counter()
    job = lead_import_run(job_id=job_id)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "seconds": elapsed, "peak_mb": peak_mb, "state": job.state,
        "error": job.error_message, "rows_read": job.rows_read,
        "imported": job.imported_count, "updated": job.updated_count,
        "duplicates": job.duplicate_count,
        "invalid_phone": job.invalid_phone_count, "dnc": job.dnc_count,
        "malformed": job.malformed_count,
    }))  # fmt: skip


def final_write_seconds(job_id: int) -> float:
    """The floor of any import into this schema: only writing the rows this job imported
    into an empty ``leads_lead`` (its primary key, three indexes and two foreign-key
    checks), server-side from a temporary copy, in a transaction that is rolled back."""
    from django.db import connection, transaction

    columns = (
        "lead_list_id, phone, alternate_phones, first_name, last_name, email, timezone, "
        "custom_fields, priority, expires_on, status, import_job_id, source_row, created_at, "
        "updated_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_final ON COMMIT DROP AS SELECT {columns} "  # noqa: S608
            "FROM leads_lead WHERE import_job_id = %s ORDER BY id",
            [job_id],
        )
        cursor.execute("TRUNCATE leads_lead CASCADE")  # undone by the rollback below
        cursor.execute("CHECKPOINT")
        started = time.perf_counter()
        cursor.execute(f"INSERT INTO leads_lead ({columns}) SELECT {columns} FROM bench_final")  # noqa: S608
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def import_export_seconds(path: Path, rows: int) -> float:
    import tablib
    from import_export import resources

    from leads.models import Lead, LeadList

    lead_list = LeadList.objects.create(name="peer django-import-export")

    class LeadResource(resources.ModelResource):
        class Meta:
            model = Lead
            fields = ("lead_list", "phone", "first_name", "last_name", "email")
            import_id_fields = ()

    dataset = tablib.Dataset(headers=["lead_list", "phone", "first_name", "last_name", "email"])
    with path.open(encoding="utf-8") as source:
        next(source)
        import csv

        for n, row in enumerate(csv.reader(source)):
            if n >= rows:
                break
            dataset.append([lead_list.pk, row[0][:16], row[1], row[2], row[3]])
    started = time.perf_counter()
    result = LeadResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert result.totals["new"] == rows, result.totals
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-leads"))  # noqa: S108
    parser.add_argument("--profile", type=Path, help="write the worker's cProfile stats here")
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="load the leads after reading the whole file (the import before 2026-12-03)",
    )
    parser.add_argument(
        "--reimport-update",
        action="store_true",
        help="then import the same file again with the update policy, and time that too",
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.profile, args.sequential)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (it is written to).")
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    empty_leads()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"leads-{args.rows}.csv"
    started = time.perf_counter()
    dnc_sample = generate(path, args.rows)
    size_mb = path.stat().st_size / 1e6
    print(f"generated {path} ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
    copy_s = raw_copy_seconds(path)
    print(f"raw COPY: {copy_s:.2f} s")
    load_dnc(dnc_sample)
    job_id = prepare_job(path)
    result = _run_worker(job_id, args)
    print(f"full import: {result}")
    if args.reimport_update:
        reimport_update(path, job_id, args)
    floor_s = final_write_seconds(job_id)
    # --peer-rows 0 skips the peer (it needs ~16 ms a row), for quick comparisons.
    peer_s = import_export_seconds(path, args.peer_rows) if args.peer_rows else 0.0
    ratio = result["seconds"] / copy_s
    floor_ratio = result["seconds"] / floor_s
    print()
    print(f"{'':38}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
    print(
        f"{'raw COPY (FORMAT csv)':38}{args.rows:>10,}{copy_s:>10.2f}{args.rows / copy_s:>10,.0f}"
    )
    print(
        f"{'full import (worker)':38}{args.rows:>10,}{result['seconds']:>10.2f}"
        f"{args.rows / result['seconds']:>10,.0f}"
    )
    print(
        f"{'floor: only write the imported leads':38}{result['imported']:>10,}{floor_s:>10.2f}"
        f"{result['imported'] / floor_s:>10,.0f}"
    )
    if args.peer_rows:
        peer_rate = args.peer_rows / peer_s
        print(f"{'django-import-export':38}{args.peer_rows:>10,}{peer_s:>10.2f}{peer_rate:>10,.0f}")
    print()
    print(
        f"full import / floor: {floor_ratio:.2f}x (target <= 1.3x): "
        f"{'OK' if floor_ratio <= 1.3 else 'MISSED'}"
    )
    print(f"full import / raw COPY: {ratio:.2f}x (the earlier target, <= 5x, is below the floor)")
    print(
        f"floor / raw COPY: {floor_s / copy_s:.2f}x: writing only the imported rows into "
        "leads_lead (indexes, foreign keys), with no reading, parsing or checking"
    )
    print(
        f"worker peak memory: {result['peak_mb']:.0f} MB (target < 300 MB): "
        f"{'OK' if result['peak_mb'] < 300 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
