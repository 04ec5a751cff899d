"""Callbacks (issue #14 point 5): a callback time recorded with a disposition reaches
Acefone by schedule_call, or is a re-push at that time elsewhere; a lead never has two
open callbacks; missed callbacks are counted from their rows."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.services.dispositions import campaign_lead_disposition_record
from dialer_console.errors import ApplicationError
from results.models import Callback, CallbackState, CallbackVia
from results.recycling.apply import MISSED_GRACE, missed_callbacks, recycle_due_run
from sync.models import LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_store
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import disposition_list_with_codes
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.vendors.fixtures import emulator_for
from vendors.adapters.types import DialResult


def _campaign(emulated_account, kind, leads=4):
    account, emulator = emulated_account(
        kind, emulator=emulator_for(kind, guessed_extras=True, clock=time.time)
    )
    campaign = campaign_on(account, lead_list=lead_list_with_leads(leads))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    # The console's codes only (Acefone would want its own list's id to sync it).
    campaign.disposition_list = disposition_list_with_codes()
    campaign.save()
    rows = list(
        LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
        .select_related("lead")
        .order_by("lead_id")
    )
    assert len(rows) == leads
    return campaign, emulator, [row.lead for row in rows]


@pytest.fixture
def user(db):
    return UserFactory(role="Supervisor")


def _callback(campaign, lead, user, when):
    return campaign_lead_disposition_record(
        campaign=campaign, lead=lead, code="CBT", acting_user=user, callback_at=when
    )


def test_an_acefone_callback_is_scheduled_on_the_dialer(emulated_account, user):
    campaign, emulator, leads = _campaign(emulated_account, "acefone")
    when = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    _callback(campaign, leads[0], user, when)
    callback = Callback.objects.get()
    assert (callback.via, callback.state, callback.due_at) == (CallbackVia.DIALER, "open", when)
    job = SyncJob.objects.get(operation=Operation.LEAD_SCHEDULE_CALL)
    assert job.lead_id == leads[0].pk
    run_jobs()
    job.refresh_from_db()
    assert job.state == "done", job.last_error
    ist = when.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert emulator.scheduled_calls == [
        {
            "customer_number": leads[0].phone,
            "schedule_date_time": ist.strftime("%Y-%m-%d %H:%M:%S"),
            "customer_name": leads[0].first_name,
        }
    ]
    # Not re-pushed as well: the dialer keeps the time.
    assert LeadSync.objects.get(campaign=campaign, lead=leads[0]).not_before is None


def test_a_webitel_callback_is_a_re_push_at_its_time(emulated_account, user):
    campaign, emulator, leads = _campaign(emulated_account, "webitel")
    remote_id = campaign.sync_remote.remote_ref["remote_id"]
    members = len(emulator.members[remote_id])
    when = timezone.now() + dt.timedelta(hours=2)
    _callback(campaign, leads[1], user, when)
    assert Callback.objects.get().via == CallbackVia.REPUSH
    assert not SyncJob.objects.filter(operation=Operation.LEAD_SCHEDULE_CALL).exists()
    assert recycle_due_run() == 0
    with time_machine.travel(when + dt.timedelta(seconds=1), tick=False):
        assert recycle_due_run() == 1
        run_jobs()
    assert len(emulator.members[remote_id]) == members + 1
    row = LeadSync.objects.get(campaign=campaign, lead=leads[1])
    assert (row.state, row.not_before) == (LeadSyncState.PUSHED, None)


def test_a_lead_never_has_two_open_callbacks(emulated_account, user):
    campaign, _, leads = _campaign(emulated_account, "webitel")
    first = timezone.now() + dt.timedelta(hours=1)
    _callback(campaign, leads[0], user, first)
    _callback(campaign, leads[0], user, first + dt.timedelta(hours=1))
    states = dict(Callback.objects.values_list("due_at", "state"))
    assert states == {first: CallbackState.REPLACED, first + dt.timedelta(hours=1): "open"}
    assert LeadSync.objects.get(campaign=campaign, lead=leads[0]).not_before == first + (
        dt.timedelta(hours=1)
    )
    # The database refuses a second open one however it is written.
    open_one = Callback.objects.get(state="open")
    with pytest.raises(IntegrityError), transaction.atomic():
        Callback.objects.create(
            campaign=campaign, lead=leads[0], disposition=campaign.dispositions.last(),
            due_at=first, via=CallbackVia.REPUSH,
        )  # fmt: skip
    assert Callback.objects.filter(state="open").get() == open_one


def test_a_callback_in_the_past_is_refused(emulated_account, user):
    campaign, _, leads = _campaign(emulated_account, "webitel", leads=1)
    with pytest.raises(ApplicationError, match="must be in the future"):
        _callback(campaign, leads[0], user, timezone.now() - dt.timedelta(minutes=1))
    assert not Callback.objects.exists()


def test_missed_callbacks_are_counted_from_their_rows(emulated_account, user):
    campaign, _, leads = _campaign(emulated_account, "webitel", leads=4)
    start = timezone.now()
    due = start + dt.timedelta(hours=1)
    for lead in leads:
        _callback(campaign, lead, user, due)
    remote = dict(LeadSync.objects.filter(campaign=campaign).values_list("lead_id", "remote_id"))
    with time_machine.travel(due + MISSED_GRACE + dt.timedelta(minutes=1), tick=False):
        now = timezone.now()
        # Lead 0 was dialled at its time; lead 1 got a later outcome; 2 and 3 were missed.
        results_store(
            campaign=campaign, source="pull",
            results=[DialResult(remote_id=remote[leads[0].pk], attempts=2, outcome="ANSWERED",
                                last_attempt_at=due + dt.timedelta(minutes=2), done=True)],
        )  # fmt: skip
        campaign_lead_disposition_record(
            campaign=campaign, lead=leads[1], code="NA", acting_user=user
        )
        missed = missed_callbacks(campaign=campaign)
        expected = Callback.objects.filter(
            campaign=campaign, state="open", due_at__lt=now - MISSED_GRACE
        )
        assert set(missed.values_list("lead_id", flat=True)) == {leads[2].pk, leads[3].pk}
        assert missed.count() == expected.count() == 2
    # Before their time and grace, none is missed.
    assert missed_callbacks(campaign=campaign, now=due).count() == 0


def test_a_callback_outside_the_window_is_recorded_with_a_warning(emulated_account, client):
    from django.urls import reverse

    from campaigns.models import CallingWindow, CallingWindowDay

    campaign, _, leads = _campaign(emulated_account, "webitel", leads=1)
    window = CallingWindow.objects.create(name="Office", timezone_policy="fixed",
                                          fixed_timezone="UTC")  # fmt: skip
    for weekday in range(5):
        CallingWindowDay.objects.create(calling_window=window, weekday=weekday,
                                        start=dt.time(9), end=dt.time(17))  # fmt: skip
    campaign.calling_window = window
    campaign.save()
    client.force_login(UserFactory(role="Supervisor"))
    url = reverse("api-campaign-lead-disposition", args=[campaign.pk, leads[0].pk])
    with time_machine.travel(dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC), tick=False):
        saturday = "2026-12-05T10:00:00Z"
        response = client.post(url, {"code": "CBT", "callback_at": saturday},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 201, response.content
        assert "outside the calling window" in response.json()["callback_note"]
        assert "2026-12-07" in response.json()["callback_note"]  # Monday's opening
        thursday = "2026-12-03T15:00:00Z"
        response = client.post(url, {"code": "CBT", "callback_at": thursday},
                               content_type="application/json")  # fmt: skip
        assert response.json()["callback_note"] == ""
    assert Callback.objects.get(state="open").due_at == dt.datetime(2026, 12, 3, 15, tzinfo=dt.UTC)


def test_a_call_at_the_callback_time_answers_it_whatever_its_outcome(emulated_account, user):
    campaign, _, leads = _campaign(emulated_account, "webitel", leads=1)
    due = timezone.now() + dt.timedelta(hours=1)
    _callback(campaign, leads[0], user, due)
    remote_id = LeadSync.objects.get(campaign=campaign).remote_id
    with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
        # Dialled at its time, not answered; the dialer will try again (not done).
        results_store(
            campaign=campaign, source="pull",
            results=[DialResult(remote_id=remote_id, attempts=1, last_attempt_at=due,
                                result_raw="", outcome="", done=False)],
        )  # fmt: skip
        assert Callback.objects.get().state == CallbackState.DONE
        assert missed_callbacks(campaign=campaign).count() == 0


def test_recycled_by_hand_on_acefone_a_held_lead_is_scheduled_not_pushed(emulated_account):
    from results.models import LeadResult
    from results.recycling import by_hand

    campaign, emulator, leads = _campaign(emulated_account, "acefone", leads=3)
    for lead, code in zip(leads, ("BUSY", "BUSY", "ANSWERED"), strict=True):
        LeadResult.objects.create(campaign=campaign, lead=lead, last_result_code=code,
                                  source="pull", reported_at=timezone.now())  # fmt: skip
    supervisor = UserFactory(role="Supervisor")
    choice = by_hand.recycle_choice(source=campaign, target_id=None, user=supervisor,
                                    dialer_outcomes=["BUSY"], disposition_codes=[])  # fmt: skip
    assert by_hand.recycle_preview(choice=choice, user=supervisor) == 2
    assert by_hand.recycle_by_hand(choice=choice, user=supervisor) == 2
    # Still on the dialer, not sent again: each is scheduled there to be called now.
    assert LeadSync.objects.filter(campaign=campaign, state="pushed").count() == 3
    assert SyncJob.objects.filter(operation=Operation.LEAD_SCHEDULE_CALL).count() == 2
    run_jobs()
    assert sorted(call["customer_number"] for call in emulator.scheduled_calls) == sorted(
        lead.phone for lead in leads[:2]
    )
    assert recycle_due_run() == 0
