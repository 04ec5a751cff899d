import datetime

import pytest

from leads import selectors, services
from leads.models import DncEntry
from tests.campaigns.factories import CampaignFactory
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.leads.helpers import run_import
from vendors.adapters.types import AlternatePhone, LeadRecord

pytestmark = pytest.mark.django_db


def test_lead_record_is_built_from_a_lead():
    lead = LeadFactory(
        phone="+12125550100",
        first_name="Ada",
        last_name="Lovelace",
        timezone="America/New_York",
        priority=2,
        expires_on=datetime.date(2026, 12, 31),
        alternate_phones=[{"phone": "+12125550101", "kind": "mobile", "priority": 1}],
        custom_fields={"plan": "gold"},
    )
    assert selectors.lead_record(lead=lead) == LeadRecord(
        lead_id=lead.id,
        phone="+12125550100",
        first_name="Ada",
        last_name="Lovelace",
        timezone="America/New_York",
        priority=2,
        expires_on=datetime.date(2026, 12, 31),
        alternate_phones=(AlternatePhone("+12125550101", "mobile", 1),),
        custom_fields={"plan": "gold"},
    )


def test_leads_for_list_are_in_id_order():
    lead_list = LeadListFactory()
    leads = [LeadFactory(lead_list=lead_list) for _ in range(3)]
    LeadFactory()
    assert list(selectors.leads_for_list(lead_list=lead_list)) == leads


def _link(campaign, lead_list):
    from campaigns.models import CampaignLeadList

    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)


def test_campaign_scope_finds_duplicates_in_the_campaigns_other_lists(team_lead):
    campaign = CampaignFactory(team=team_lead.team)
    sibling, target, unrelated = (LeadListFactory(team=team_lead.team) for _ in range(3))
    _link(campaign, sibling)
    _link(campaign, target)
    LeadFactory(lead_list=sibling, phone="+12125550100")
    LeadFactory(lead_list=unrelated, phone="+12125550101")
    assert sorted(selectors.campaign_lead_list_ids(campaign_id=campaign.pk)) == sorted(
        [sibling.pk, target.pk]
    )
    job = run_import(
        target,
        team_lead,
        "Phone\n212-555-0100\n212-555-0101\n",
        duplicate_scope="campaign",
        scope_campaign_id=campaign.pk,
    )
    assert (job.imported_count, job.duplicate_count) == (1, 1)


def test_campaign_scoped_dnc_applies_to_the_campaigns_lists(team_lead):
    campaign = CampaignFactory()
    lead_list = LeadListFactory(team=team_lead.team)
    _link(campaign, lead_list)
    DncEntry.objects.create(phone="+12125550100", scope="campaign", campaign_id=campaign.pk)
    DncEntry.objects.create(phone="+12125550101", scope="campaign", campaign_id=campaign.pk + 99)
    job = run_import(lead_list, team_lead, "Phone\n212-555-0100\n212-555-0101\n")
    assert (job.imported_count, job.dnc_count) == (1, 1)


def test_a_list_in_a_campaign_cannot_be_deleted(team_lead):
    from dialer_console.errors import ApplicationError

    lead_list = LeadListFactory(team=team_lead.team)
    _link(CampaignFactory(), lead_list)
    with pytest.raises(ApplicationError, match="still in use"):
        services.lead_list_delete(lead_list=lead_list)


def test_dashboard_tiles_count_from_the_list_columns(team_lead):
    LeadListFactory(team=team_lead.team, total_count=1200, dnc_count=3)
    tiles = selectors.lead_dashboard_tiles(user=team_lead)
    assert [(tile.label, tile.value) for tile in tiles] == [
        ("Lead lists", 1),
        ("Leads", 1200),
        ("Imports running", 0),
    ]
