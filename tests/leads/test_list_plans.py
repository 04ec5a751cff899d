"""PostgreSQL's plans for a list's first page: a list created after many other leads must
be read through an index that gives its order (no Sort over the whole list, no walk of
the primary key from id 0 filtered by list), with the planner's statistics set.

Run on PostgreSQL (the CI does): DATABASE_URL=postgres://... python3 dev.py test -m postgres
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign, CampaignLeadList
from campaigns.selectors import campaign_leads_page
from dialer_console.keyset import keyset_rows
from leads import selectors
from leads.models import Lead, LeadList
from tests.leads.factories import LeadListFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EARLIER_LEADS = 6000
LIST_LEADS = 400


@pytest.fixture
def late_list(require_postgres, supervisor) -> LeadList:
    """A list whose leads come after thousands of other lists' leads, with mixed
    statuses, and fresh planner statistics."""
    earlier = LeadListFactory()
    Lead.objects.bulk_create(
        Lead(lead_list=earlier, phone=f"+1646555{n:04d}") for n in range(EARLIER_LEADS)
    )
    late = LeadListFactory()
    statuses = ["new", "new", "new", "done", "dnc", "invalid"]
    Lead.objects.bulk_create(
        Lead(lead_list=late, phone=f"+1212555{n:04d}", status=statuses[n % len(statuses)])
        for n in range(LIST_LEADS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leads_lead")
    return late


def _plan(queryset) -> dict:
    """The plan PostgreSQL picks for the query ``queryset`` runs (FORMAT JSON)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _page_query(lead_list: LeadList, **filters):
    """The query the list's page runs: its filters in the page's order, LIMIT 51."""
    leads = selectors.leads_filtered(lead_list=lead_list, **filters)
    return leads.order_by("id")[:51]


def _assert_index_gives_the_order(plan: dict, index: str) -> None:
    nodes = list(_nodes(plan))
    kinds = [node["Node Type"] for node in nodes]
    assert "Sort" not in kinds and "Incremental Sort" not in kinds, kinds
    assert "Seq Scan" not in kinds, kinds
    used = {node.get("Index Name") for node in nodes}
    assert index in used, used
    assert "leads_lead_pkey" not in used, used  # not a walk of the primary key


def test_a_late_lists_first_page_reads_its_own_index_in_order(late_list):
    _assert_index_gives_the_order(_plan(_page_query(late_list)), "lead_list_id_order")


def test_a_status_filter_is_served_in_order_too(late_list):
    plan = _plan(_page_query(late_list, status="new"))
    kinds = {node["Node Type"] for node in _nodes(plan)}
    assert not {"Sort", "Incremental Sort", "Seq Scan"} & kinds, kinds
    assert "leads_lead_pkey" not in {node.get("Index Name") for node in _nodes(plan)}


def test_a_later_page_sorts_nothing_and_scans_no_table(late_list):
    """From the cursor on, the planner may take (lead_list, id) or the primary key range
    after the cursor (both start at the cursor, not at id 0); neither sorts."""
    after = Lead.objects.filter(lead_list=late_list).order_by("id")[100].pk
    later = selectors.leads_filtered(lead_list=late_list).filter(id__gt=after).order_by("id")
    kinds = {node["Node Type"] for node in _nodes(_plan(later[:51]))}
    assert not {"Sort", "Incremental Sort", "Seq Scan"} & kinds, kinds


def test_a_phone_prefix_on_a_list_uses_the_pattern_ops_index(late_list):
    leads = selectors.leads_filtered(lead_list=late_list, phone="+1212555")
    plan = _plan(leads.order_by("id")[:51])
    used = {node.get("Index Name") for node in _nodes(plan)}
    assert "lead_list_phone_prefix" in used, used
    assert "Seq Scan" not in {node["Node Type"] for node in _nodes(plan)}


def test_the_page_itself_returns_the_lists_first_leads(late_list):
    found = keyset_rows(
        selectors.leads_filtered(lead_list=late_list), sorting=selectors.LEAD_SORTING, size=50
    )
    expected = list(Lead.objects.filter(lead_list=late_list).order_by("id")[:50])
    assert found.rows == expected


def test_the_campaigns_leads_page_reads_each_list_in_order(late_list, supervisor):
    """With two lists, "lead_list IN (a, b) ORDER BY id" would walk the primary key from
    id 0: the page reads each list through its own index and merges them."""
    other = LeadListFactory()
    Lead.objects.bulk_create(Lead(lead_list=other, phone=f"+1718555{n:04d}") for n in range(300))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leads_lead")
    campaign = Campaign.objects.create(name="Late")
    for lead_list in (late_list, other):
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    with CaptureQueriesContext(connection) as queries:
        page = campaign_leads_page(campaign=campaign, user=supervisor)
    both = Lead.objects.filter(lead_list__in=[late_list, other]).order_by("id")
    assert [row.lead for row in page.rows] == list(both[:50])
    reads = [
        q["sql"] for q in queries if 'FROM "leads_lead"' in q["sql"] and "LIMIT 51" in q["sql"]
    ]
    assert len(reads) == 2
    for sql in reads:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
        plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
        _assert_index_gives_the_order(plan, "lead_list_id_order")


@pytest.mark.parametrize("role", ["supervisor", "team_lead"])
def test_the_leads_api_by_list_reads_the_list_in_order(late_list, role, request):
    """``/api/v1/leads/?lead_list=``: the user's scope, the list, id order (its cursor)."""
    user = request.getfixturevalue(role)
    if role == "team_lead":
        LeadList.objects.filter(pk=late_list.pk).update(team=user.team)
    leads = selectors.leads_visible(user=user).filter(lead_list_id=late_list.pk)
    _assert_index_gives_the_order(_plan(leads.order_by("id")[:101]), "lead_list_id_order")
