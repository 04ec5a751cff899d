"""Bulk actions too big for a request: a Celery run in committed batches gives the same
outcome as the inline action, resumes after a dead worker, keeps to the creator's team,
and still gives each campaign exactly one sync job."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import CampaignLeadList, CampaignStatus
from leads import services
from leads.models import Lead, LeadBulkRun, LeadStatus
from leads.selectors_bulk import (
    lead_bulk_runs_visible,
    lead_selection_for_campaign,
    lead_selection_for_list,
)
from leads.services import bulk_actions, bulk_runs
from sync.models import LeadSync, LeadSyncState, Operation, SyncJob
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_list(team_lead):
    return LeadListFactory(team=team_lead.team, name="Own")


@pytest.fixture
def sent(monkeypatch):
    """The run ids handed to Celery (after commit), instead of a broker."""
    ids = []
    monkeypatch.setattr("leads.tasks.lead_bulk_run.delay_on_commit", ids.append)
    return ids


@pytest.fixture
def small_batches(monkeypatch, settings):
    settings.LEADS_BULK_INLINE_MAX = 3
    monkeypatch.setattr(bulk_actions, "BULK_BATCH", 2)


def _leads(lead_list, count, status=LeadStatus.NEW, start=0):
    return [
        LeadFactory(lead_list=lead_list, phone=f"+1212555{start + n:04d}", status=status)
        for n in range(count)
    ]


def _running_campaign(lead_list):
    campaign = CampaignFactory(
        vendor_account=VendorAccountFactory(kind="acefone"),
        status=CampaignStatus.ACTIVE,
        team=lead_list.team,
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, position=0)
    return campaign


def _campaign_jobs(campaign):
    return SyncJob.objects.filter(campaign=campaign, operation=Operation.CAMPAIGN_SYNC)


def _world(lead_list):
    """Waiting leads (two on a dialer), done leads and a DNC lead: each action skips some."""
    campaign = _running_campaign(lead_list)
    waiting = _leads(lead_list, 5)
    _leads(lead_list, 2, status=LeadStatus.DONE, start=20)
    _leads(lead_list, 1, status=LeadStatus.DNC, start=40)
    for lead in waiting[:2]:
        LeadSync.objects.create(campaign=campaign, lead=lead, state=LeadSyncState.PUSHED)
    services.lead_list_counts_refresh(lead_list=lead_list)
    return campaign


def _state(lead_list):
    return sorted(Lead.objects.filter(lead_list=lead_list).values_list("phone", "status"))


def test_a_selection_up_to_the_threshold_runs_inline(team_lead, own_list, sent, settings):
    settings.LEADS_BULK_INLINE_MAX = 3
    _leads(own_list, 3)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    outcome = bulk_runs.leads_bulk_submit(selection=selection, action="dnc", acting_user=team_lead)
    assert isinstance(outcome, services.BulkLeadResult) and outcome.done == 3
    assert sent == [] and not LeadBulkRun.objects.exists()


@pytest.mark.parametrize("action", ["delete", "dnc", "recycle"])
def test_a_task_run_in_batches_ends_as_the_inline_action(
    team_lead, sent, small_batches, action, monkeypatch
):
    inline_list = LeadListFactory(team=team_lead.team, name="Inline")
    task_list = LeadListFactory(team=team_lead.team, name="Task")
    inline_campaign, task_campaign = _world(inline_list), _world(task_list)
    extra = {"target_campaign": task_campaign} if action == "recycle" else {}
    inline_extra = {"target_campaign": inline_campaign} if action == "recycle" else {}

    inline = services.leads_bulk_act(
        leads=lead_selection_for_list(user=team_lead, lead_list=inline_list).leads,
        action=action,
        acting_user=team_lead,
        **inline_extra,
    )
    selection = lead_selection_for_list(user=team_lead, lead_list=task_list)
    run = bulk_runs.leads_bulk_submit(
        selection=selection, action=action, acting_user=team_lead, **extra
    )
    assert isinstance(run, LeadBulkRun) and sent == [run.pk]
    assert (run.state, run.selected_count, run.done_count) == ("queued", 8, 0)
    assert _campaign_jobs(task_campaign).count() == 0  # nothing done in the request

    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.attempts == 1
    assert (run.done_count, run.skipped_count) == (inline.done, inline.skipped_total)
    assert run.skipped_reasons == dict(inline.skipped)
    assert run.processed_count == 8
    assert [status for _, status in _state(task_list)] == [s for _, s in _state(inline_list)]
    assert run.campaigns_synced == len(inline.campaign_ids) == 1
    assert _campaign_jobs(task_campaign).count() == 1  # one job for four batches
    task_list.refresh_from_db()
    inline_list.refresh_from_db()
    assert task_list.total_count == inline_list.total_count
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)  # a second delivery does nothing
    assert _campaign_jobs(task_campaign).count() == 1


class _WorkerDied(Exception):
    pass


def test_a_run_whose_worker_died_resumes_after_its_last_committed_batch(
    team_lead, own_list, sent, small_batches, monkeypatch
):
    campaign = _running_campaign(own_list)
    leads = _leads(own_list, 7)
    for lead in leads:
        LeadSync.objects.create(campaign=campaign, lead=lead, state=LeadSyncState.PUSHED)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list, status="new")
    run = bulk_runs.leads_bulk_submit(selection=selection, action="dnc", acting_user=team_lead)
    real_batch, calls = bulk_runs.leads_bulk_batch, []

    def dies_in_the_third_batch(**kwargs):
        calls.append(kwargs["ids"])
        real_batch(**kwargs)  # its writes are rolled back with the batch's transaction
        if len(calls) == 3:
            raise _WorkerDied

    monkeypatch.setattr(bulk_runs, "leads_bulk_batch", dies_in_the_third_batch)
    with pytest.raises(_WorkerDied):
        bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.done_count, run.after_id) == ("running", 4, leads[3].pk)
    assert Lead.objects.filter(lead_list=own_list, status=LeadStatus.DNC).count() == 4

    assert bulk_runs.lead_bulk_run_sweep_stale() == 0  # its heartbeat is fresh
    later = timezone.now() + bulk_runs.LEADS_BULK_STALE_AFTER + datetime.timedelta(seconds=1)
    assert bulk_runs.lead_bulk_run_sweep_stale(now=later) == 1
    run.refresh_from_db()
    assert run.state == "queued" and sent == [run.pk, run.pk]

    monkeypatch.setattr(bulk_runs, "leads_bulk_batch", real_batch)
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.done_count, run.skipped_count, run.attempts) == ("done", 7, 0, 2)
    assert Lead.objects.filter(lead_list=own_list, status=LeadStatus.DNC).count() == 7
    assert _campaign_jobs(campaign).count() == 1


def test_a_run_that_keeps_losing_its_worker_fails_saying_what_was_done(
    team_lead, own_list, sent, small_batches
):
    _leads(own_list, 4)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    run = bulk_runs.leads_bulk_submit(selection=selection, action="dnc", acting_user=team_lead)
    LeadBulkRun.objects.filter(pk=run.pk).update(
        state="running", attempts=bulk_runs.LEADS_BULK_MAX_ATTEMPTS, heartbeat_at=timezone.now()
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    assert bulk_runs.lead_bulk_run_sweep_stale(now=later) == 1
    run.refresh_from_db()
    assert run.state == "failed" and "start the action again for the rest" in run.error_message


def test_a_run_keeps_to_its_creators_team(team_lead, sent, small_batches):
    own = LeadListFactory(team=team_lead.team, name="Own")
    other = LeadListFactory(name="Other team's")
    campaign = CampaignFactory(status=CampaignStatus.ACTIVE)
    for position, lead_list in enumerate((own, other)):
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, position=position)
    _leads(own, 4)
    _leads(other, 5, start=100)
    selection = lead_selection_for_campaign(user=team_lead, campaign=campaign)
    run = bulk_runs.leads_bulk_submit(selection=selection, action="delete", acting_user=team_lead)
    assert run.selected_count == 4 and run.team_id == team_lead.team_id
    _leads(other, 2, start=200)  # arrives while the run waits: still not reached
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.done_count) == ("done", 4)
    assert Lead.objects.filter(lead_list=own).count() == 0
    assert Lead.objects.filter(lead_list=other).count() == 7

    # Who sees the run: its creator, their team, supervisors; not another team.
    teammate = UserFactory(role="Team lead", team=team_lead.team)
    stranger = UserFactory(role="Team lead", with_team=True)
    boss = UserFactory(role="Supervisor")
    assert [list(lead_bulk_runs_visible(user=u)) for u in (team_lead, teammate, boss)] == [
        [run]
    ] * 3
    assert list(lead_bulk_runs_visible(user=stranger)) == []


def test_a_run_fails_with_a_reason_when_its_target_is_gone(
    team_lead, own_list, sent, small_batches
):
    target = LeadListFactory(team=team_lead.team, name="Target")
    _leads(own_list, 4)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    run = bulk_runs.leads_bulk_submit(
        selection=selection, action="move", acting_user=team_lead, target_list=target
    )
    target.delete()
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.error_message) == (
        "failed",
        "The list to move the leads to was deleted.",
    )
    assert Lead.objects.filter(lead_list=own_list).count() == 4


def test_the_sweep_task_sweeps_bulk_runs_too(team_lead, own_list, sent, small_batches, monkeypatch):
    from leads import tasks

    _leads(own_list, 4)
    selection = lead_selection_for_list(user=team_lead, lead_list=own_list)
    run = bulk_runs.leads_bulk_submit(selection=selection, action="dnc", acting_user=team_lead)
    old = timezone.now() - datetime.timedelta(hours=1)
    LeadBulkRun.objects.filter(pk=run.pk).update(state="running", attempts=1, heartbeat_at=old)
    assert tasks.lead_import_sweep() == 1
    run.refresh_from_db()
    assert run.state == "queued"
