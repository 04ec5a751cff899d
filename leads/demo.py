"""Demo lead lists for the demo teams, loaded through the same bulk-add pipeline as the
API (so normalisation, time zones, dedupe and counts are real). Safe to run twice."""

from __future__ import annotations

import random

from leads.models import DncEntry, LeadList
from leads.services import leads_bulk_add

FIRST_NAMES = ("Ada", "Grace", "Alan", "Linus", "Noa", "Yael", "Priya", "Arjun", "Lena", "Jonas")
LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Cohen", "Levi", "Sharma", "Patel", "Müller", "Weber")

DEMO_LISTS = (
    # name, team, country, default time zone, phone formats
    ("North – US prospects", "North team", "US", "America/New_York", ("us",)),
    ("North – Europe", "North team", "DE", "Europe/Berlin", ("de", "gb")),
    ("South – Israel and India", "South team", "IL", "Asia/Jerusalem", ("il", "in")),
)


def _phone(kind: str, n: int) -> str:
    if kind == "us":
        area = ("212", "312", "415", "617", "713")[n % 5]
        return f"({area}) 555-{100 + n:04d}"
    if kind == "de":
        return f"030 {1234000 + n}"
    if kind == "gb":
        return f"+44 20 7946 {n:04d}"
    if kind == "il":
        return f"052-555-{4000 + n:04d}"
    return f"+91 98{n:08d}"


def load_demo(*, context: dict) -> None:
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    lists = {}
    DncEntry.objects.get_or_create(
        phone="+12125550199",
        scope="everywhere",
        defaults={"reason": "Asked not to be called", "source": "demo"},
    )
    DncEntry.objects.get_or_create(
        phone="+13125550106", scope="everywhere", defaults={"reason": "Complaint", "source": "demo"}
    )
    for name, team_name, country, zone, kinds in DEMO_LISTS:
        team = context["teams"].get(team_name)
        lead_list, created = LeadList.objects.get_or_create(
            name=name,
            defaults={"team": team, "default_country": country, "default_timezone": zone},
        )
        lists[name] = lead_list
        if not created:
            continue
        rows = [
            {
                "phone": _phone(kinds[n % len(kinds)], n),
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "email": f"lead{n}@demo.invalid",
                "priority": str(n % 3),
                "custom_fields": {"source": "demo", "score": str(rng.randint(1, 100))},
            }
            for n in range(60)
        ]
        leads_bulk_add(
            lead_list=lead_list, leads=rows, acting_user=context["users"].get("supervisor")
        )
    context["lead_lists"] = lists
