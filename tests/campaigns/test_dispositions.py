"""campaign_lead_disposition_record: the outcome, its flags, and the call result the
Webitel dialer waits for."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from campaigns.models import CampaignStatus, LeadDisposition
from campaigns.services import campaign_lead_disposition_record
from dialer_console.errors import ApplicationError
from leads.models import DncEntry, LeadStatus
from sync.models import JobState, LeadSync, Operation, SyncJob
from sync.services import sync_on_campaign_saved
from tests.campaigns.factories import disposition_list_with_codes
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads


@pytest.fixture
def outcomes(db):
    return disposition_list_with_codes()


def _campaign(emulated_account, kind, outcomes, *, leads=3, **settings):
    account, emulator = emulated_account(kind)
    lead_list = lead_list_with_leads(leads)
    campaign = campaign_on(account, lead_list=lead_list, **settings)
    campaign.disposition_list = outcomes
    campaign.save()
    return campaign, emulator, list(lead_list.leads.order_by("pk"))


def test_webitel_gets_the_call_result_when_it_waits_for_one(emulated_account, outcomes, supervisor):
    campaign, emulator, leads = _campaign(emulated_account, "webitel", outcomes)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    emulator.simulate_dialling(1)
    disposition = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="SALE", acting_user=supervisor
    )
    job = SyncJob.objects.get(pk=disposition.call_result_job_id)
    assert job.operation == Operation.LEAD_CALL_RESULT
    assert job.payload == {"disposition": "SALE", "success": True}
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.last_error
    (member,) = [m for m in next(iter(emulator.members.values())).values() if m["_probeCount"]]
    assert member["_endCause"], "the dialer still waits for the result"


def test_no_call_result_where_the_dialer_does_not_wait_for_one(
    emulated_account, outcomes, supervisor
):
    campaign, _, leads = _campaign(
        emulated_account, "webitel", outcomes, parameters={"waitingForResultStatus": False}
    )
    disposition = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="NA", acting_user=supervisor
    )
    assert disposition.call_result_job_id is None
    assert not SyncJob.objects.filter(operation=Operation.LEAD_CALL_RESULT).exists()


def test_acefone_takes_no_call_result(emulated_account, outcomes, supervisor):
    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    disposition = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="SALE", acting_user=supervisor, note=" good "
    )
    assert (disposition.code, disposition.label, disposition.note) == ("SALE", "Sale", "good")
    assert disposition.is_final and disposition.is_success and disposition.recorded_by == supervisor
    assert disposition.call_result_job_id is None


def test_a_final_outcome_makes_the_lead_done_for_the_campaign(
    emulated_account, outcomes, supervisor
):
    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="SALE", acting_user=supervisor
    )
    with pytest.raises(ApplicationError, match="This lead is done for this campaign: “SALE"):
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[0], code="NA", acting_user=supervisor
        )
    assert LeadDisposition.objects.count() == 1
    # Another lead, and the same lead in another campaign, still take outcomes.
    campaign_lead_disposition_record(
        campaign=campaign, lead=leads[1], code="NA", acting_user=supervisor
    )


def test_do_not_call_lists_the_number_and_takes_the_lead_off_every_dialer(
    emulated_account, outcomes, supervisor
):
    campaign, emulator, leads = _campaign(emulated_account, "webitel", outcomes)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    lead_list = leads[0].lead_list
    lead_list.valid_count, lead_list.dnc_count = 3, 0
    lead_list.save()
    campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="DNC", acting_user=supervisor
    )
    entry = DncEntry.objects.get(phone=leads[0].phone)
    assert entry.scope == "everywhere" and entry.source == "disposition"
    assert "DNC" in entry.reason and entry.created_by == supervisor
    leads[0].refresh_from_db()
    lead_list.refresh_from_db()
    assert leads[0].status == LeadStatus.DNC
    assert (lead_list.valid_count, lead_list.dnc_count) == (2, 1)
    assert SyncJob.objects.filter(operation=Operation.LEAD_REMOVE, lead_id=leads[0].pk).exists()
    run_jobs()
    assert (
        LeadSync.objects.get(campaign=campaign, lead=leads[0]).state == "dnc"
    )  # taken off the dialer as do-not-call, counted under DNC


def test_a_callback_takes_the_time_given_or_the_codes_retry_after(
    emulated_account, outcomes, supervisor
):
    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    later = timezone.now() + datetime.timedelta(days=1)
    given = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="CBT", acting_user=supervisor, callback_at=later
    )
    assert given.callback_at == later and given.retry_at is None
    before = timezone.now()
    default = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[1], code="CB", acting_user=supervisor
    )
    expected = before + datetime.timedelta(minutes=120)
    assert abs((default.callback_at - expected).total_seconds()) < 5
    retry = campaign_lead_disposition_record(
        campaign=campaign, lead=leads[2], code="NA", acting_user=supervisor
    )
    assert retry.callback_at is None
    assert abs((retry.retry_at - before - datetime.timedelta(minutes=60)).total_seconds()) < 5


@pytest.mark.parametrize(
    ("code", "callback_at", "message"),
    [
        ("CBT", None, "“CBT” is a callback: give the time to call back."),
        ("CBT", -1, "The callback time must be in the future."),
        ("NA", 1, "“NA” is not a callback code: leave the callback time empty."),
        ("XYZ", None, "“XYZ” is not a code of the disposition list “Outcomes”."),
    ],
)
def test_bad_outcomes_are_refused_in_plain_words(
    emulated_account, outcomes, supervisor, code, callback_at, message
):
    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    when = None
    if callback_at is not None:
        when = timezone.now() + datetime.timedelta(hours=callback_at)
    with pytest.raises(ApplicationError) as error:
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[0], code=code, acting_user=supervisor, callback_at=when
        )
    assert error.value.message == message
    assert not LeadDisposition.objects.exists()


def test_refused_without_a_list_before_start_and_for_a_lead_of_another_list(
    emulated_account, outcomes, supervisor
):
    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    stranger = lead_list_with_leads(1, phone_prefix="+9198766").leads.get()
    with pytest.raises(ApplicationError, match="not in any of the campaign's lead lists"):
        campaign_lead_disposition_record(
            campaign=campaign, lead=stranger, code="NA", acting_user=supervisor
        )
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    with pytest.raises(ApplicationError, match="The campaign is draft: it has no calls"):
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[0], code="NA", acting_user=supervisor
        )
    campaign.disposition_list = None
    campaign.save()
    with pytest.raises(ApplicationError, match="This campaign has no disposition list"):
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[0], code="NA", acting_user=supervisor
        )


def test_the_outcome_and_its_sync_job_commit_together(
    emulated_account, outcomes, supervisor, monkeypatch
):
    campaign, _, leads = _campaign(emulated_account, "webitel", outcomes)

    def broken(**kwargs):
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr("campaigns.services.dispositions.sync_on_lead_dispositioned", broken)
    with pytest.raises(RuntimeError):
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[0], code="DNC", acting_user=supervisor
        )
    assert not LeadDisposition.objects.exists()
    assert not DncEntry.objects.filter(phone=leads[0].phone).exists()


def test_the_outcome_keeps_its_meaning_when_the_list_is_edited(
    emulated_account, outcomes, supervisor
):
    from campaigns.services import disposition_list_save

    campaign, _, leads = _campaign(emulated_account, "acefone", outcomes)
    campaign_lead_disposition_record(
        campaign=campaign, lead=leads[0], code="SALE", acting_user=supervisor
    )
    disposition_list_save(
        disposition_list=outcomes,
        fields={"name": "Outcomes", "description": ""},
        codes=[{"code": "SALE", "label": "Renamed", "is_final": False}],
    )
    kept = LeadDisposition.objects.get()
    assert (kept.label, kept.is_final) == ("Sale", True)
