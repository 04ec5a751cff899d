"""Bulk actions on leads: true counts, team isolation, one sync job per campaign."""

import pytest

from campaigns.models import CampaignLeadList, CampaignStatus
from dialer_console.errors import ApplicationError
from leads import services
from leads.models import DncEntry, Lead, LeadList, LeadStatus
from leads.selectors_bulk import (
    bulk_ids_read,
    lead_selection_for_campaign,
    lead_selection_for_list,
)
from leads.services import bulk_actions
from sync.models import LeadSync, LeadSyncState, Operation, SyncJob
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_list(team_lead):
    return LeadListFactory(team=team_lead.team, name="Own")


def _leads(lead_list, count, status=LeadStatus.NEW, start=0):
    return [
        LeadFactory(lead_list=lead_list, phone=f"+1212555{start + n:04d}", status=status)
        for n in range(count)
    ]


def _refresh_counts(*lists):
    for lead_list in lists:
        services.lead_list_counts_refresh(lead_list=lead_list)


def _running_campaign(lead_list, **kwargs):
    account = VendorAccountFactory(kind="acefone")
    campaign = CampaignFactory(
        vendor_account=account, status=CampaignStatus.ACTIVE, team=lead_list.team, **kwargs
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, position=0)
    return campaign


def _campaign_jobs(campaign):
    return SyncJob.objects.filter(campaign=campaign, operation=Operation.CAMPAIGN_SYNC)


def test_filter_selection_counts_what_the_action_then_does(team_lead, own_list):
    _leads(own_list, 4)
    _leads(own_list, 3, status=LeadStatus.DONE, start=10)
    _refresh_counts(own_list)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list, status="new")
    assert selection.count() == 4
    result = services.leads_bulk_act(leads=selection.leads, action="dnc", acting_user=team_lead)
    assert (result.done, result.skipped_total) == (4, 0)
    assert Lead.objects.filter(lead_list=own_list, status=LeadStatus.DNC).count() == 4
    own_list.refresh_from_db()
    assert (own_list.valid_count, own_list.dnc_count) == (0, 4)
    # The numbers are listed on the list's own do-not-call list, so a re-import drops them.
    assert DncEntry.objects.filter(scope="list", lead_list=own_list).count() == 4


def test_a_filter_never_reaches_another_teams_leads(team_lead, own_list):
    other = LeadListFactory(name="Other team's")
    _leads(own_list, 2)
    _leads(other, 5, start=100)
    # A team lead naming the other team's list still selects only what they may see.
    selection = lead_selection_for_list(user=team_lead, lead_list=other)
    assert selection.count() == 0
    result = services.leads_bulk_act(leads=selection.leads, action="delete", acting_user=team_lead)
    assert result.done == 0
    assert Lead.objects.filter(lead_list=other).count() == 5
    # Ticked ids of another team's leads are not reached either.
    foreign_ids = list(Lead.objects.filter(lead_list=other).values_list("pk", flat=True))
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list, ids=foreign_ids)
    assert selection.count() == 0


def test_skipped_leads_are_counted_under_their_reason(team_lead, own_list):
    _leads(own_list, 2)
    _leads(own_list, 1, status=LeadStatus.DNC, start=20)
    _leads(own_list, 2, status=LeadStatus.INVALID, start=30)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    result = services.leads_bulk_act(leads=selection.leads, action="dnc", acting_user=team_lead)
    assert result.done == 2
    assert dict(result.skipped) == {
        "already do-not-call": 1,
        "the number is invalid": 2,
    }
    assert result.as_dict()["skipped"] == 3


def test_dnc_gives_each_campaign_holding_leads_one_sync_job(team_lead, own_list, monkeypatch):
    monkeypatch.setattr(bulk_actions, "BULK_BATCH", 2)  # several batches, still one job
    campaign = _running_campaign(own_list)
    leads = _leads(own_list, 5)
    for lead in leads:
        LeadSync.objects.create(
            campaign=campaign, lead=lead, state=LeadSyncState.PUSHED, remote_id=f"r{lead.pk}"
        )
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    result = services.leads_bulk_act(leads=selection.leads, action="dnc", acting_user=team_lead)
    assert result.done == 5
    assert _campaign_jobs(campaign).count() == 1
    assert result.as_dict()["campaigns_synced"] == 1
    # No per-lead remove jobs: the campaign's job takes them off.
    assert not SyncJob.objects.filter(operation=Operation.LEAD_REMOVE).exists()


def test_delete_keeps_leads_a_dialer_holds_as_removed(team_lead, own_list):
    campaign = _running_campaign(own_list)
    held, loose = _leads(own_list, 2)
    LeadSync.objects.create(campaign=campaign, lead=held, state=LeadSyncState.PUSHED)
    LeadSync.objects.create(campaign=campaign, lead=loose, state=LeadSyncState.PENDING)
    _refresh_counts(own_list)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    result = services.leads_bulk_act(leads=selection.leads, action="delete", acting_user=team_lead)
    assert result.done == 2
    held.refresh_from_db()
    assert held.status == LeadStatus.REMOVED
    assert not Lead.objects.filter(pk=loose.pk).exists()
    assert _campaign_jobs(campaign).count() == 1
    own_list.refresh_from_db()
    assert own_list.total_count == 0


def test_move_only_leads_no_dialer_holds_and_only_to_own_team(team_lead, own_list):
    target = LeadListFactory(team=team_lead.team, name="Target")
    campaign = _running_campaign(target)
    source_campaign = _running_campaign(own_list)
    free, held = _leads(own_list, 2)
    LeadSync.objects.create(campaign=source_campaign, lead=held, state=LeadSyncState.PUSHED)
    _refresh_counts(own_list, target)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    result = services.leads_bulk_act(
        leads=selection.leads, action="move", acting_user=team_lead, target_list=target
    )
    assert result.done == 1
    assert dict(result.skipped) == {bulk_actions.ON_DIALER_REASON: 1}
    free.refresh_from_db()
    assert free.lead_list == target
    target.refresh_from_db()
    own_list.refresh_from_db()
    assert (target.total_count, own_list.total_count) == (1, 1)
    # The campaign dialling the target list gets its job, to push the moved lead.
    assert _campaign_jobs(campaign).count() == 1
    with pytest.raises(ApplicationError, match="own team"):
        services.leads_bulk_act(
            leads=selection.leads,
            action="move",
            acting_user=team_lead,
            target_list=LeadListFactory(name="Elsewhere"),
        )


def test_recycle_queues_done_leads_again_for_the_campaign(team_lead, own_list):
    campaign = _running_campaign(own_list)
    done = _leads(own_list, 3, status=LeadStatus.DONE)
    for lead in done:
        LeadSync.objects.create(campaign=campaign, lead=lead, state=LeadSyncState.PUSHED)
    _leads(own_list, 1, status=LeadStatus.DNC, start=50)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    result = services.leads_bulk_act(
        leads=selection.leads, action="recycle", acting_user=team_lead, target_campaign=campaign
    )
    assert (result.done, result.skipped_total) == (3, 1)
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING).count() == 3
    assert Lead.objects.filter(lead_list=own_list, status=LeadStatus.NEW).count() == 3
    assert _campaign_jobs(campaign).count() == 1


def test_recycle_refuses_an_archived_campaign(team_lead, own_list):
    campaign = _running_campaign(own_list)
    campaign.status = CampaignStatus.ARCHIVED
    campaign.save()
    with pytest.raises(ApplicationError, match="archived"):
        services.leads_bulk_act(
            leads=Lead.objects.none(),
            action="recycle",
            acting_user=team_lead,
            target_campaign=campaign,
        )


def test_campaign_filter_selects_by_the_campaigns_sync_state(team_lead, own_list):
    campaign = _running_campaign(own_list)
    failed, pushed, _ = _leads(own_list, 3)
    LeadSync.objects.create(campaign=campaign, lead=failed, state=LeadSyncState.FAILED)
    LeadSync.objects.create(campaign=campaign, lead=pushed, state=LeadSyncState.PUSHED)
    other_team_list = LeadListFactory(name="Not mine")
    CampaignLeadList.objects.create(campaign=campaign, lead_list=other_team_list, position=1)
    _leads(other_team_list, 4, start=200)
    by_state = lead_selection_for_campaign(user=team_lead, campaign=campaign, state="failed")
    assert list(by_state.leads) == [failed]
    assert lead_selection_for_campaign(user=team_lead, campaign=campaign).count() == 3
    assert (
        lead_selection_for_campaign(user=team_lead, campaign=campaign, state="not_queued").count()
        == 1
    )
    with pytest.raises(ApplicationError):
        lead_selection_for_campaign(user=team_lead, campaign=campaign, state="bogus")


def test_ids_are_read_strictly():
    assert bulk_ids_read(["3", 4, "3"]) == [3, 4]
    for bad in (["x"], [True], ["-1"], []):
        with pytest.raises(ApplicationError):
            bulk_ids_read(bad)
    with pytest.raises(ApplicationError, match="At most"):
        bulk_ids_read(list(range(2000)))


def test_unknown_action_is_refused(team_lead):
    with pytest.raises(ApplicationError, match="Unknown action"):
        services.leads_bulk_act(leads=Lead.objects.none(), action="explode", acting_user=team_lead)


def test_dnc_bulk_delete_skips_what_the_user_may_not_manage(team_lead, own_list):
    own = DncEntry.objects.create(phone="+12125550001", scope="list", lead_list=own_list)
    everywhere = DncEntry.objects.create(phone="+12125550002", scope="everywhere")
    hidden = DncEntry.objects.create(
        phone="+12125550003", scope="list", lead_list=LeadListFactory(name="Hidden")
    )
    result = services.dnc_entries_bulk_delete(
        entry_ids=[own.pk, everywhere.pk, hidden.pk], acting_user=team_lead
    )
    assert result.removed == 1
    assert [pk for pk, _ in result.skipped] == [everywhere.pk, hidden.pk]
    assert set(DncEntry.objects.values_list("pk", flat=True)) == {everywhere.pk, hidden.pk}
    assert LeadList.objects.filter(pk=own_list.pk).exists()
