"""A campaign starts only with an active lead list holding a callable lead (service, page,
API); lists attached in the form are active by default; a running campaign with nothing
to dial says so."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import CampaignStatus
from campaigns.readiness import NO_ACTIVE_LIST, NO_CALLABLE_LEAD, campaign_dial_readiness
from dialer_console.errors import ApplicationError
from leads.models import Lead, LeadStatus
from leads.services import lead_list_counts_refresh
from tests.campaigns.factories import CampaignFactory, LeadListFactory, attach_callable_leads
from tests.campaigns.page_forms import form_data
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


def _campaign(accounts, status=CampaignStatus.DRAFT):
    return CampaignFactory(
        vendor_account=accounts["jtel"], vendor_settings=VALID_SETTINGS["jtel"], status=status
    )


def _no_callable_leads(campaign):
    lead_list = attach_callable_leads(campaign, leads=2)
    Lead.objects.filter(lead_list=lead_list).update(status=LeadStatus.DNC)
    lead_list_counts_refresh(lead_list=lead_list)


@pytest.mark.parametrize(
    ("prepare", "reason"),
    [
        (lambda campaign: None, NO_ACTIVE_LIST),
        (lambda campaign: attach_callable_leads(campaign, active=False), NO_ACTIVE_LIST),
        (_no_callable_leads, NO_CALLABLE_LEAD),
    ],
    ids=["no list", "only an inactive list", "no callable lead"],
)
def test_start_is_refused_with_the_reason(accounts, supervisor, prepare, reason):
    campaign = _campaign(accounts)
    prepare(campaign)
    with pytest.raises(ApplicationError) as refused:
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    assert refused.value.message == reason
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not campaign.sync_jobs.exists()


def test_resume_is_refused_too_once_the_leads_are_gone(accounts, supervisor):
    campaign = _campaign(accounts, status=CampaignStatus.PAUSED)
    _no_callable_leads(campaign)
    with pytest.raises(ApplicationError, match="has a lead left to call"):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)


def test_readiness_counts_active_lists_and_finds_a_callable_lead(accounts):
    campaign = _campaign(accounts)
    attach_callable_leads(campaign, leads=3)
    attach_callable_leads(campaign, leads=5, active=False)
    readiness = campaign_dial_readiness(campaign=campaign)
    assert (readiness.active_lists, readiness.has_callable_lead) == (1, True)
    assert readiness.problem == ""
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=None)


def test_leads_new_in_their_list_but_finished_or_refused_on_the_dialer_are_not_callable(
    accounts,
):
    """The one definition (``sync.dialling.own_reason_sql``): a lead of status New the
    dialer reported done, or refused as DNC or removed, leaves nothing to call; the list's
    kept count of New leads (which readiness used to read) would still say 3."""
    from results.models import LeadResult, ResultSource
    from sync.dialling import campaign_breakdown
    from sync.models import LeadSync, LeadSyncState

    campaign = _campaign(accounts)
    lead_list = attach_callable_leads(campaign, leads=3)
    first, second, third = Lead.objects.filter(lead_list=lead_list)
    LeadResult.objects.create(
        campaign=campaign,
        lead=first,
        done=True,
        source=ResultSource.PULL,
        reported_at=first.created_at,
    )
    LeadSync.objects.create(campaign=campaign, lead=second, state=LeadSyncState.DNC)
    LeadSync.objects.create(campaign=campaign, lead=third, state=LeadSyncState.REMOVED)
    lead_list.refresh_from_db()
    assert lead_list.valid_count == 3
    assert campaign_dial_readiness(campaign=campaign).problem == NO_CALLABLE_LEAD
    counts = campaign_breakdown(campaign=campaign).counts
    assert (counts["exhausted"], counts["dnc"], counts["removed"]) == (1, 1, 1)
    LeadResult.objects.filter(lead=first).update(done=False)  # the dialer will call it again
    assert campaign_dial_readiness(campaign=campaign).problem == ""


def test_the_page_disables_start_with_the_reason_and_refuses_a_post(supervisor_client, accounts):
    campaign = _campaign(accounts)
    html = unescape(
        supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )
    assert 'disabled aria-describedby="reason-start"' in html
    assert NO_ACTIVE_LIST in html
    response = supervisor_client.post(
        reverse("campaigns:action", args=[campaign.pk, "start"]), follow=True
    )
    assert NO_ACTIVE_LIST in unescape(response.content.decode())
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_the_api_refuses_start_with_the_reason(api_client, supervisor, accounts):
    campaign = _campaign(accounts)
    _no_callable_leads(campaign)
    api_client.force_authenticate(supervisor)
    response = api_client.post(f"/api/v1/campaigns/{campaign.pk}/start/")
    assert response.status_code == 400
    assert response.json()["message"] == NO_CALLABLE_LEAD


@pytest.mark.parametrize("status", [CampaignStatus.ACTIVE, CampaignStatus.PAUSED])
def test_a_running_campaign_with_nothing_to_dial_warns(supervisor_client, accounts, status):
    campaign = _campaign(accounts, status=status)
    url = reverse("campaigns:detail", args=[campaign.pk])
    html = unescape(supervisor_client.get(url).content.decode())
    assert f"<strong>Nothing to dial:</strong> {NO_ACTIVE_LIST}" in html
    attach_callable_leads(campaign)
    assert "Nothing to dial" not in supervisor_client.get(url).content.decode()


def test_a_draft_says_it_once_beside_its_start_button(supervisor_client, accounts):
    campaign = _campaign(accounts)
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Nothing to dial" not in html


def test_lead_lists_attached_in_the_form_are_active_by_default(supervisor_client, accounts):
    lead_list = LeadListFactory(name="Autumn")
    page = supervisor_client.get(reverse("campaigns:create")).content.decode()
    assert 'id="id_lead_lists-0-active" aria-label="Active 1" checked>' in page
    data = form_data(page, "campaign-form")
    data.update({"name": "Defaults", "lead_lists-0-lead_list": str(lead_list.pk)})
    response = supervisor_client.post(reverse("campaigns:create"), data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    [link] = lead_list.campaign_links.all()
    assert link.active is True
    # The second blank row, its switch on as offered, was ignored.
    assert link.campaign.list_links.count() == 1


def test_a_list_switched_off_in_the_form_stays_off(supervisor_client):
    lead_list = LeadListFactory(name="Winter")
    page = supervisor_client.get(reverse("campaigns:create")).content.decode()
    data = form_data(page, "campaign-form")
    data.pop("lead_lists-0-active")
    data.update({"name": "Off", "lead_lists-0-lead_list": str(lead_list.pk)})
    assert supervisor_client.post(reverse("campaigns:create"), data).status_code == 302
    assert lead_list.campaign_links.get().active is False


def test_the_campaign_list_flags_running_campaigns_with_nothing_to_dial(
    supervisor_client, accounts
):
    empty = _campaign(accounts, status=CampaignStatus.ACTIVE)
    dialling = _campaign(accounts, status=CampaignStatus.ACTIVE)
    attach_callable_leads(dialling)
    draft = _campaign(accounts)
    html = supervisor_client.get(reverse("campaigns:list")).content.decode()
    rows = {
        campaign.pk: html[html.index(f'value="{campaign.pk}"') :].split("</tr>")[0]
        for campaign in (empty, dialling, draft)
    }
    assert "data-nothing-to-dial" in rows[empty.pk]
    assert "data-nothing-to-dial" not in rows[dialling.pk]
    assert "data-nothing-to-dial" not in rows[draft.pk]  # its Start button says why
