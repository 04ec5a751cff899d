from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from campaigns.models import Campaign, CampaignLeadList
from leads.models import Lead, LeadList
from leads.services.lead_lists import lead_list_counts_refresh
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import disposition_list_with_codes
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.results.factories import CallAttemptFactory, LeadResultFactory


@dataclass
class Scenario:
    campaign: Campaign
    lists: dict[str, LeadList]
    leads: dict[str, list[Lead]]
    team_lead: object


def _result(campaign, lead, **fields):
    return LeadResultFactory(campaign=campaign, lead=lead, **fields)


def build_scenario() -> Scenario:
    """A campaign of team A with two active lists of its team (6 and 4 leads), an active
    list of team B (2 leads) and an inactive list (3 leads), and what a dialer reported."""
    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    campaign = Campaign.objects.create(
        name="Spring", team=team_a, disposition_list=disposition_list_with_codes()
    )
    lists = {
        "north": LeadListFactory(name="North", team=team_a),
        "south": LeadListFactory(name="South", team=team_a),
        "other": LeadListFactory(name="Other team", team=team_b),
        "off": LeadListFactory(name="Switched off", team=team_a),
    }
    sizes = {"north": 6, "south": 4, "other": 2, "off": 3}
    leads = {key: LeadFactory.create_batch(sizes[key], lead_list=lists[key]) for key in lists}
    for position, key in enumerate(lists):
        CampaignLeadList.objects.create(
            campaign=campaign, lead_list=lists[key], position=position, active=key != "off"
        )
    now = timezone.now()
    north, south = leads["north"], leads["south"]
    _result(campaign, north[0], attempts=2, last_result_code="SALE", done=True, agent="asha")
    _result(campaign, north[1], attempts=1, last_result_code="NA", last_result_raw="NOANSWER")
    _result(campaign, north[2], attempts=3, last_result_code="NA", done=True)
    _result(campaign, north[3], attempts=None, last_result_raw="=cmd|' /C calc'!A0", done=None)
    _result(campaign, north[4], attempts=0, last_attempt_at=None)  # known, not dialled yet
    _result(
        campaign, south[0], attempts=1, last_result_code="DNC", done=True, agent="ben",
        last_attempt_at=now - timedelta(days=3),
    )  # fmt: skip
    _result(campaign, south[1], attempts=1, last_result_code="CB", agent="asha")
    _result(campaign, leads["other"][0], attempts=1, last_result_code="SALE", done=True)
    _result(campaign, leads["off"][0], attempts=1, last_result_code="SALE", done=True)
    for lead, code, days_ago in (
        (north[0], "NA", 1), (north[0], "SALE", 0), (north[1], "NA", 0), (north[2], "NA", 2),
        (south[0], "DNC", 3), (south[1], "CB", 0), (leads["other"][0], "SALE", 0),
    ):  # fmt: skip
        CallAttemptFactory(
            campaign=campaign, lead=lead, result_code=code,
            attempted_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    for lead_list in lists.values():
        lead_list_counts_refresh(lead_list=lead_list)
    team_lead = UserFactory(role="Team lead", team=team_a)
    return Scenario(campaign, lists, leads, team_lead)
