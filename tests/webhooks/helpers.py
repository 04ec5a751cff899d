from __future__ import annotations

from campaigns.models import Campaign, CampaignLeadList
from campaigns.services import campaign_lead_disposition_record
from tests.campaigns.factories import disposition_list_with_codes
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.sync.conftest import run_jobs
from webhooks.models import EventType
from webhooks.services.endpoints import webhook_endpoint_create

CRM = "https://crm.example.com/hooks/console"


def endpoint_for(team, *, url: str = CRM, events=None, active: bool = True):
    """(endpoint, secret) made through the service, as the page makes them."""
    return webhook_endpoint_create(
        team=team, url=url, events=events or list(EventType.values), active=active
    )


def campaign_with_lead(team):
    campaign = Campaign.objects.create(
        name="Spring",
        team=team,
        status="active",
        disposition_list=disposition_list_with_codes(),
    )
    lead_list = LeadListFactory(team=team)
    lead = LeadFactory(lead_list=lead_list)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    return campaign, lead


def record(campaign, lead, code: str = "NA", user=None):
    return campaign_lead_disposition_record(
        campaign=campaign, lead=lead, code=code, acting_user=user
    )


__all__ = ["run_jobs"]
