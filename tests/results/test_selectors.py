"""The results figures against the rows they count."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign
from leads.models import Lead
from results.figures import DIALLED, EMPTY
from results.models import LeadResult
from results.selectors import ResultsFilter, campaign_results, results_overview
from tests.accounts.factories import UserFactory


def _visible_leads(scenario, keys):
    return Lead.objects.filter(lead_list__in=[scenario.lists[key] for key in keys])


def test_penetration_adds_up_to_the_leads_of_the_visible_active_lists(scenario):
    results = campaign_results(
        campaign=scenario.campaign, user=scenario.team_lead, filters=ResultsFilter()
    )
    pen = results.penetration
    leads = _visible_leads(scenario, ("north", "south"))
    assert pen.leads == leads.count() == 10
    dialled_rows = LeadResult.objects.filter(DIALLED, campaign=scenario.campaign, lead__in=leads)
    assert pen.dialled == dialled_rows.count() == 6
    assert pen.not_dialled + pen.dialled == pen.leads
    parts = (pen.not_dialled, pen.still_dialling, pen.done, pen.exhausted, pen.state_unknown)
    assert parts == (4, 2, 2, 1, 1)
    assert sum(parts) == pen.leads
    assert pen.done == dialled_rows.filter(done=True, last_result_code__in=["SALE", "DNC"]).count()
    assert pen.exhausted == dialled_rows.filter(done=True, last_result_code="NA").count()


def test_contact_rate_counts_results_that_need_a_person(scenario):
    pen = campaign_results(
        campaign=scenario.campaign, user=scenario.team_lead, filters=ResultsFilter()
    ).penetration
    # SALE, DNC and CB are contacts; the two NA are not; the unmapped status is not counted.
    assert (pen.contacted, pen.mapped, pen.contact_rate_percent) == (3, 5, 60.0)


def test_contact_rate_is_unknown_when_no_result_maps(scenario):
    LeadResult.objects.update(last_result_code="")
    pen = campaign_results(
        campaign=scenario.campaign, user=scenario.team_lead, filters=ResultsFilter()
    ).penetration
    assert pen.dialled == 6 and pen.contact_rate_percent is None


def test_outcome_tables_agree_with_the_dialled_leads(scenario):
    results = campaign_results(
        campaign=scenario.campaign, user=scenario.team_lead, filters=ResultsFilter()
    )
    assert results.outcomes_total == results.penetration.dialled
    by_code = {row.code: row.count for row in results.outcomes}
    assert by_code == {"NA": 2, "SALE": 1, "DNC": 1, "CB": 1, "": 1}
    assert sum(group.total for group in results.per_list) == results.outcomes_total
    assert {group.name: group.total for group in results.per_list} == {"North": 4, "South": 2}
    assert results.agents_reported
    assert {group.name: group.total for group in results.per_agent} == {
        "asha": 2, "ben": 1, "Not reported": 3,
    }  # fmt: skip
    for groups in (results.per_list, results.per_agent):
        columns = [sum(group.counts[i] for group in groups) for i in range(len(results.outcomes))]
        assert columns == [row.count for row in results.outcomes]
    assert results.histogram == [("1", 3), ("2", 1), ("3", 1), ("unknown", 1)]
    assert sum(count for _, count in results.histogram) == results.penetration.dialled


def test_a_supervisor_sees_every_active_list_never_the_switched_off_one(scenario, supervisor):
    pen = campaign_results(
        campaign=scenario.campaign, user=supervisor, filters=ResultsFilter()
    ).penetration
    assert pen.leads == _visible_leads(scenario, ("north", "south", "other")).count() == 12
    assert pen.dialled == 7


def test_list_filter_counts_one_list(scenario):
    north = scenario.lists["north"]
    results = campaign_results(
        campaign=scenario.campaign,
        user=scenario.team_lead,
        filters=ResultsFilter(lead_list_id=north.pk),
    )
    assert results.penetration.leads == north.leads.count() == 6
    assert results.penetration.dialled == 4
    assert [group.name for group in results.per_list] == ["North"]


def test_date_range_filters_the_outcomes_and_the_chart_not_the_penetration(scenario):
    today = timezone.localdate()
    results = campaign_results(
        campaign=scenario.campaign,
        user=scenario.team_lead,
        filters=ResultsFilter(since=today - timedelta(days=1), until=today),
    )
    assert results.penetration.dialled == 6
    in_range = LeadResult.objects.filter(
        DIALLED,
        Q(last_attempt_at__date__gte=today - timedelta(days=1)),
        campaign=scenario.campaign,
        lead__lead_list__in=[scenario.lists["north"], scenario.lists["south"]],
    )
    assert results.outcomes_total == in_range.count() == 5  # the DNC was 3 days ago
    assert results.chart.total == 4  # attempts today and yesterday, in the visible lists
    assert (results.chart.first, results.chart.last) == (today - timedelta(days=1), today)


def test_home_page_essentials_are_scoped_to_the_team(scenario, supervisor):
    mine = results_overview(user=scenario.team_lead)
    assert (mine.leads, mine.dialled, mine.done, mine.exhausted) == (10, 6, 2, 1)
    everything = results_overview(user=supervisor)
    assert (everything.leads, everything.dialled) == (12, 7)
    stranger = UserFactory(role="Team lead", with_team=True)
    assert results_overview(user=stranger).leads == 0


def test_home_page_per_campaign_figures_agree_with_rows_and_team(scenario, supervisor):
    from results.selectors import results_home

    other = Campaign.objects.create(name="Autumn", team=scenario.campaign.team)
    total, rows = results_home(user=scenario.team_lead)
    by_name = {row.name: row.penetration for row in rows}
    assert set(by_name) == {"Spring", "Autumn"}
    mine = [scenario.lists["north"], scenario.lists["south"]]
    dialled = LeadResult.objects.filter(
        DIALLED, campaign=scenario.campaign, lead__lead_list__in=mine
    )
    spring = by_name["Spring"]
    assert spring.dialled == dialled.count() == 6
    assert spring.leads == Lead.objects.filter(lead_list__in=mine).count()
    assert spring.contacted == dialled.filter(last_result_code__in=["SALE", "DNC", "CB"]).count()
    assert spring.mapped == dialled.exclude(last_result_code="").count()
    assert spring.contact_rate_percent == 60.0
    assert by_name["Autumn"].leads == 0 and by_name["Autumn"].contact_rate_percent is None
    assert [row.name for row in rows][0] == "Spring"  # the most dialled first
    assert total == spring + by_name["Autumn"]
    assert other.pk in {row.campaign_id for row in rows}
    stranger = UserFactory(role="Team lead", with_team=True)
    assert results_home(user=stranger) == (EMPTY, [])
