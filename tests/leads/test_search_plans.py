"""PostgreSQL's plans for the lead search by name and e-mail: with the planner's
statistics set over a few thousand leads, a name or an address start is found through
the prefix indexes of leads migration 0011, not by reading the whole table.

Run on PostgreSQL (the CI does): DATABASE_URL=postgres://... python3 dev.py test -m postgres
"""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.roles import Role
from leads.models import Lead
from leads.selectors_search import lead_search_page, lead_search_queryset, lead_search_read
from tests.accounts.factories import UserFactory
from tests.leads.factories import LeadListFactory
from tests.leads.test_list_plans import _nodes, _plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LEADS = 6000
FIRST = ("Ada", "Ben", "Cara", "Dov", "Eli", "Fay", "Gil", "Hana", "Ido", "Jon")
LAST = ("Smith", "Cohen", "Levi", "Meyer", "Patel", "Shah", "Kumar", "Novak", "Weber")


@pytest.fixture
def searched(require_postgres):
    """Thousands of leads over two teams' lists, names and addresses varied, analysed."""
    lists = [LeadListFactory(), LeadListFactory()]
    Lead.objects.bulk_create(
        Lead(
            lead_list=lists[n % 2],
            phone=f"+1646{n:07d}",
            first_name=FIRST[n % len(FIRST)],
            last_name=LAST[(n // 7) % len(LAST)],
            email=f"{FIRST[n % len(FIRST)]}.{LAST[(n // 7) % len(LAST)]}{n}@example.com".lower(),
        )
        for n in range(LEADS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leads_lead")
    return lists


def _search_plan(text: str, user) -> dict:
    search = lead_search_read(text=text, user=user)
    return _plan(lead_search_queryset(search=search, user=user)[:51])


def _assert_prefix_index(plan: dict, index: str) -> None:
    nodes = list(_nodes(plan))
    assert "Seq Scan" not in {node["Node Type"] for node in nodes}
    used = {node.get("Index Name") for node in nodes}
    assert index in used, used


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("jon.weber59@", "lead_email_prefix"),
        ("Quinn", "lead_first_name_prefix"),
        ("Quinn", "lead_last_name_prefix"),
        ("ido novak", "lead_last_name_prefix"),
    ],
)
def test_a_name_or_address_start_is_read_through_its_index(searched, supervisor, text, index):
    _assert_prefix_index(_search_plan(text, supervisor), index)


def test_a_team_leads_search_uses_the_index_too(searched):
    team_lead = UserFactory(role=Role.TEAM_LEAD, team=searched[0].team)
    _assert_prefix_index(_search_plan("jon.weber5@", team_lead), "lead_email_prefix")


def test_the_indexed_search_still_finds_in_any_case(searched, supervisor):
    page = lead_search_page(text="IDO nov", user=supervisor)
    expected = Lead.objects.filter(first_name="Ido", last_name="Novak").order_by("id")
    assert [lead.pk for lead in page.leads] == list(expected.values_list("pk", flat=True)[:50])
    assert page.leads
    by_address = lead_search_page(text="HANA.COHEN7@", user=supervisor)
    assert [lead.email for lead in by_address.leads] == ["hana.cohen7@example.com"]
