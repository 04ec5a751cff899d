import pytest

from campaigns import selectors
from campaigns.models import CampaignStatus
from tests.accounts.factories import TeamFactory
from tests.campaigns.factories import AgentFactory, CampaignFactory

pytestmark = pytest.mark.django_db


def test_team_leads_see_their_teams_campaigns_only(supervisor, team_lead):
    mine = CampaignFactory(team=team_lead.team)
    CampaignFactory(team=TeamFactory())
    CampaignFactory(team=None)
    assert list(selectors.campaign_queryset(user=team_lead)) == [mine]
    assert selectors.campaign_queryset(user=supervisor).count() == 3


def test_list_search_filter_and_sort(supervisor, accounts):
    CampaignFactory(name="Bravo", vendor_account=accounts["jtel"], status="active")
    CampaignFactory(name="Alpha sale", vendor_account=accounts["acefone"])
    CampaignFactory(name="Charlie", description="big sale")
    names = lambda **kw: [c.name for c in selectors.campaign_list(user=supervisor, **kw)]  # noqa: E731
    assert names(search="sale", sort="name") == ["Alpha sale", "Charlie"]
    assert names(status="active") == ["Bravo"]
    assert names(vendor="acefone") == ["Alpha sale"]
    assert names(vendor="none") == ["Charlie"]
    assert names(sort="-name") == ["Charlie", "Bravo", "Alpha sale"]
    assert names(sort="nonsense") == ["Charlie", "Alpha sale", "Bravo"]


def test_actions_say_why_not(monkeypatch, accounts, team_lead):
    def missing(kind):
        raise ImportError(kind)

    monkeypatch.setattr("vendors.adapters.registry.adapter_class", missing)
    campaign = CampaignFactory(vendor_account=accounts["ozonetel"], status=CampaignStatus.DRAFT)
    states = {state.action.name: state for state in selectors.campaign_actions(campaign=campaign)}
    assert not states["start"].allowed
    assert states["start"].reason.startswith("Not available yet")
    assert states["pause"].reason == "Not possible while the campaign is draft."
    assert states["clone"].allowed and states["archive"].allowed
    # Actions a user may never take are left out (the page shows one read-only notice).
    assert selectors.campaign_actions(campaign=campaign, user=team_lead) == []


def test_campaign_spec_maps_agents_to_their_remote_ids(accounts):
    from campaigns.services import agent_save

    campaign = CampaignFactory(
        vendor_account=accounts["acefone"], name="Spec", vendor_settings={"name": "x"}
    )
    with_id = agent_save(fields={"name": "Asha"}, remote_ids={accounts["acefone"]: "5101"})
    without = AgentFactory(name="Ben")
    AgentFactory(name="Zed", active=False)
    campaign.agents.set([with_id, without])
    spec = selectors.campaign_spec(campaign=campaign)
    assert spec.name == "Spec"
    assert spec.settings == {"name": "x"}
    assert [(a.name, a.remote_id) for a in spec.agents] == [("Asha", "5101"), ("Ben", "")]


@pytest.mark.parametrize("status", ["active", "draft"])
def test_dashboard_tiles_count_real_rows(supervisor, status):
    CampaignFactory(status=status)
    tiles = {tile.label: tile.value for tile in selectors.campaign_dashboard_tiles(user=supervisor)}
    assert tiles["Campaigns"] == 1
    assert tiles["Active campaigns"] == (1 if status == "active" else 0)
