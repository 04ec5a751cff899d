"""Lead search by name and e-mail (issue #16): builds leads with varied names and e-mail
addresses on an empty PostgreSQL database, then times ``lead_search_page`` as a supervisor
and as a team lead, before and after the prefix indexes of leads migration 0011.

```sh
createdb -h 127.0.0.1 -U postgres dc_search
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_search
.venv/bin/python manage.py migrate leads 0010 && .venv/bin/python manage.py migrate
.venv/bin/python bench/search.py --leads 320000          # builds, then times
.venv/bin/python manage.py migrate leads 0010            # without the indexes
.venv/bin/python bench/search.py                         # times again
```
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import machine, setup_django  # noqa: E402

LISTS = 20
NEW_INDEXES = ("lead_first_name_prefix", "lead_last_name_prefix", "lead_email_prefix")
FIRST = "Ada Ben Cara Dov Eli Fay Gil Hana Ido Jon Kim Lea Max Noa Omer Pia Ron Sara Tal Uri"
LAST = "Smith Cohen Levi Meyer Patel Shah Kumar Novak Weber Fischer Brown Rossi Garcia Kaur"
SEARCHES = ("smi", "cohen", "ada smith", "kaur tal", "zed", "sara.levi12@", "zed@")


def build(leads: int) -> None:
    from django.db import transaction

    with transaction.atomic():
        _build(leads)


def _build(leads: int) -> None:
    from django.db import connection

    from accounts.models import Team
    from bench.dataset import insert_select
    from leads.models import Lead, LeadList

    teams = [Team.objects.create(name=f"Search team {n}") for n in range(5)]
    lists = LeadList.objects.bulk_create(
        LeadList(name=f"Search list {n:02d}", team=teams[n % 5]) for n in range(LISTS)
    )
    first, last = FIRST.split(), LAST.split()
    # Names cycle at co-prime periods so every first and last name meet; e-mails are
    # first.last<n>@ so a typed address start is as selective as a real one.
    first_sql = f"(ARRAY{first})[1 + g.n %% {len(first)}]"
    last_sql = f"(ARRAY{last})[1 + (g.n / 7) %% {len(last)}]"
    overrides = {
        "lead_list_id": f"(ARRAY{[ll.pk for ll in lists]})[1 + g.n %% {LISTS}]",
        "phone": "'+1212' || lpad(g.n::text, 7, '0')",
        "first_name": first_sql,
        "last_name": last_sql,
        "email": f"lower({first_sql} || '.' || {last_sql} || (g.n / 97)) || '@example.com'",
        "source_row": "g.n + 1",
    }
    with connection.cursor() as cursor:
        insert_select(cursor, Lead, overrides, "FROM generate_series(0, %s) AS g(n)", [leads - 1])
        cursor.execute("ANALYZE leads_lead")


def users():
    from accounts.models import Team
    from accounts.roles import Role
    from accounts.services import user_create_with_role

    team = Team.objects.filter(name__startswith="Search team").order_by("id").first()
    return {
        role: user_create_with_role(username=f"search-{n}", password="x" * 20, role=role, team=team)
        for n, role in enumerate((Role.SUPERVISOR, Role.TEAM_LEAD))
    }


def timed(user, text: str, rounds: int) -> float:
    from leads.selectors_search import lead_search_page

    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        lead_search_page(text=text, user=user)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=320_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from leads.models import Lead

    if not Lead.objects.exists():
        build(args.leads)
    found = users()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(NEW_INDEXES)]
        )
        indexes = sorted(row[0] for row in cursor.fetchall())
    print(machine())
    print(f"{Lead.objects.count():,} leads; prefix indexes: {', '.join(indexes) or 'none'}")
    for role, user in found.items():
        for text in SEARCHES:
            print(f"  {role:<10} {text!r:<16} {timed(user, text, args.rounds):8.1f} ms (median)")


if __name__ == "__main__":
    main()
