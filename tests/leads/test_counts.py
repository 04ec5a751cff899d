"""A lead list's figures (``selectors.LeadListCounts``), each checked against the rows it
counts: leads by status, and the rejected rows of the list's finished imports."""

import pytest
from django.urls import reverse

from leads import selectors, services
from leads.models import Lead, LeadStatus
from tests.leads.factories import ImportJobFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db

STATUSES = {
    LeadStatus.NEW: 5,
    LeadStatus.DONE: 2,
    LeadStatus.DNC: 4,
    LeadStatus.INVALID: 1,
    LeadStatus.REMOVED: 3,
}


@pytest.fixture
def counted_list(team_lead):
    lead_list = LeadListFactory(team=team_lead.team, name="Counted")
    for status, count in STATUSES.items():
        LeadFactory.create_batch(count, lead_list=lead_list, status=status)
    ImportJobFactory(
        lead_list=lead_list,
        state="done",
        invalid_phone_count=6,
        malformed_count=1,
        duplicate_count=2,
        dnc_count=1,
        imported_count=15,
    )
    # An undone import's rejected rows are no longer the list's.
    ImportJobFactory(lead_list=lead_list, state="undone", invalid_phone_count=50, dnc_count=9)
    return services.lead_list_counts_refresh(lead_list=lead_list)


def _leads(lead_list, status):
    return Lead.objects.filter(lead_list=lead_list, status=status).count()


def test_each_count_matches_the_rows_it_counts(counted_list):
    counts = selectors.lead_list_counts(lead_list=counted_list)
    assert counts.callable == _leads(counted_list, LeadStatus.NEW) == 5
    assert counts.done == _leads(counted_list, LeadStatus.DONE) == 2
    assert counts.dnc == _leads(counted_list, LeadStatus.DNC) == 4
    assert counts.invalid == _leads(counted_list, LeadStatus.INVALID) == 1
    held = Lead.objects.filter(lead_list=counted_list).exclude(status=LeadStatus.REMOVED)
    assert counts.leads == held.count() == 12
    assert counts.leads == counts.callable + counts.done + counts.dnc + counts.invalid
    assert (counts.rejected_invalid, counts.rejected_duplicates, counts.rejected_dnc) == (7, 2, 1)
    assert counts.rejected == 10


def test_lists_page_shows_columns_that_add_up(team_lead_client, counted_list):
    html = team_lead_client.get(reverse("leads:list")).content.decode()
    assert "Leads = Callable + Done + DNC + Invalid" in html
    assert "Rejected rows (not leads)" in html
    for name, value in {
        "leads": 12,
        "callable": 5,
        "done": 2,
        "dnc": 4,
        "invalid": 1,
        "rejected_invalid": 7,
        "rejected_duplicates": 2,
        "rejected_dnc": 1,
    }.items():
        assert f'data-count="{name}">{value}<' in html or (
            f'data-count="{name}"><strong>{value}<' in html
        ), name


def test_lists_page_counts_in_a_fixed_number_of_queries(
    team_lead_client, team_lead, counted_list, django_assert_max_num_queries
):
    for _ in range(3):
        services.lead_list_counts_refresh(lead_list=LeadListFactory(team=team_lead.team))
    with django_assert_max_num_queries(12):
        team_lead_client.get(reverse("leads:list"))


def test_detail_tiles_add_up(team_lead_client, counted_list):
    html = team_lead_client.get(reverse("leads:detail", args=[counted_list.pk])).content.decode()
    assert "= callable + done + DNC + invalid" in html
    assert 'data-count="leads">12<' in html and 'data-count="dnc">4<' in html
    assert "Rejected rows, not leads: 10" in html


def test_filtering_to_invalid_says_rejected_rows_are_not_leads(team_lead_client, team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = ImportJobFactory(lead_list=lead_list, state="done", invalid_phone_count=1000)
    services.lead_list_counts_refresh(lead_list=lead_list)
    url = reverse("leads:detail", args=[lead_list.pk])
    html = team_lead_client.get(url, {"status": "invalid"}).content.decode()
    assert "No leads match." in html
    assert "1,000 invalid rows were rejected by this list's imports" in html
    assert "rejected rows are not leads" in html
    assert f'href="{reverse("leads:import-report", args=[job.pk])}"' in html
    # Without the filter (or with one that has no rejected rows) no such note.
    assert "data-rejected-note" not in team_lead_client.get(url).content.decode()


def test_home_tile_uses_the_same_definitions(team_lead, counted_list):
    tiles = {tile.label: tile for tile in selectors.lead_dashboard_tiles(user=team_lead)}
    assert tiles["Leads"].value == 12
    assert tiles["Leads"].note == "10 rejected rows (not leads)"
