"""Campaigns on emulated vendor accounts, with leads, ready to sync."""

from __future__ import annotations

from campaigns.models import Campaign, CampaignLeadList, CampaignStatus
from leads.models import Lead
from tests.campaigns.factories import campaign_as_spec
from tests.leads.factories import LeadListFactory
from tests.vendors.harness import load_harness


def lead_list_with_leads(count: int, *, phone_prefix: str = "+9198765", **list_fields):
    """A lead list of ``count`` leads with distinct valid Indian mobile numbers, its kept
    counts refreshed as an import leaves them (a campaign starts only with leads to call)."""
    from leads.services import lead_list_counts_refresh

    lead_list = LeadListFactory(**list_fields)
    Lead.objects.bulk_create(
        [
            Lead(lead_list=lead_list, phone=f"{phone_prefix}{n:05d}", first_name=f"Lead {n}")
            for n in range(count)
        ]
    )
    lead_list_counts_refresh(lead_list=lead_list)
    return lead_list


def campaign_on(account, *, lead_list=None, status: str = CampaignStatus.ACTIVE, **settings):
    """A campaign on ``account`` with the vendor's valid settings, ``lead_list`` attached.
    Written directly (not through the campaigns services) so the sync tests decide when
    sync is asked for."""
    spec = load_harness(account.kind).campaign_spec()
    campaign = Campaign.objects.create(
        name=f"Sync test {Campaign.objects.count() + 1}",
        vendor_account=account,
        caller_id=spec.caller_id,
        status=status,
        vendor_settings={**spec.settings, **settings},
    )
    campaign_as_spec(campaign, spec)
    if lead_list is not None:
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list)
    return campaign
