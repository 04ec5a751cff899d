"""Where a request's time goes: cProfile over N requests of one page (DEBUG off, logged
in, through the whole middleware stack), summed by the part of the stack each function
belongs to, on the page benchmark's data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_bench \
        .venv/bin/python bench/profile_page.py [--url /campaigns/] [--requests 200] [--top 25]

Each function's own time goes to one bucket by its file: the database driver (psycopg,
including the wait for PostgreSQL's reply), the ORM, templates, the session store,
django-axes, static files (whitenoise, staticfiles storage), each other middleware, DRF,
the project's code, the rest of Django, and everything else. The profiler's wall clock
is used, so a busy machine shows as time in every bucket; the shares stay comparable.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import ensure_data, machine, setup_django  # noqa: E402

PROJECT = ("accounts/", "campaigns/", "leads/", "vendors/", "sync/", "dialer_console/")
# First match wins: (bucket, fragments of the file path).
BUCKETS = (
    ("database driver (incl. waiting)", ("psycopg", "django/db/backends/")),
    ("ORM (query building, rows to objects)", ("django/db/models/", "django/db/utils")),
    ("templates", ("django/template/", "template_partials/", "django/forms/")),
    ("session store", ("django/contrib/sessions/",)),
    ("auth (user per request)", ("django/contrib/auth/",)),
    ("django-axes", ("/axes/",)),
    ("static files", ("whitenoise/", "django/contrib/staticfiles/", "templatetags/static")),
    ("CSP header", ("/csp/",)),
    ("messages", ("django/contrib/messages/",)),
    ("other middleware", ("django/middleware/", "django_htmx/", "dialer_console/middleware")),
    ("DRF", ("rest_framework/", "django_filters/", "knox/")),
    ("URL resolving", ("django/urls/",)),
    ("request/response", ("django/http/", "django/core/handlers/", "django/test/")),
    ("project code", PROJECT),
    ("rest of Django", ("django/",)),
)


def bucket_of(filename: str) -> str:
    path = filename.replace("\\", "/")
    for name, fragments in BUCKETS:
        if any(fragment in path for fragment in fragments):
            if name == "project code" and ".venv" in path:
                continue
            return name
    return "other (Python, C builtins)"


def profile(url: str, requests: int, headers: dict) -> pstats.Stats:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    for _ in range(5):  # warm caches: templates, URL resolvers, connections
        client.get(url, **headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        response = client.get(url, **headers)
        assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    profiler.disable()
    return pstats.Stats(profiler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="/campaigns/")
    parser.add_argument("--htmx", action="store_true", help="send HX-Request: true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--leads", type=int, default=5_000_000, help="if the data is not there")
    args = parser.parse_args()
    setup_django()
    ensure_data(leads=args.leads, rebuild=False)
    print(machine())
    stats = profile(args.url, args.requests, {"HTTP_HX_REQUEST": "true"} if args.htmx else {})
    by_bucket: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for (filename, _line, _name), (_cc, ncalls, own, _cum, _callers) in stats.stats.items():
        by_bucket[bucket_of(filename)] += own
        calls[bucket_of(filename)] += ncalls
    total = sum(by_bucket.values())
    print(f"\nGET {args.url} x {args.requests}: {total * 1000 / args.requests:.2f} ms a request")
    print(f"{'part':<40}{'ms/request':>11}{'share':>8}{'calls/request':>15}")
    for name, seconds in sorted(by_bucket.items(), key=lambda item: -item[1]):
        print(
            f"{name:<40}{seconds * 1000 / args.requests:>11.2f}{seconds / total:>8.1%}"
            f"{calls[name] / args.requests:>15.0f}"
        )
    print(f"\nTop {args.top} functions by own time:")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
