"""Recycling rules (issue #14 point 4): a rule matches a dialer result or a disposition
code, decides when the lead is dialled again and at most how often; the console re-pushes
it through the emulator when it is due (beat), or schedules it on the dialer."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from campaigns.services.dispositions import campaign_lead_disposition_record
from dialer_console.errors import ApplicationError
from results.models import LeadRecycle, LeadResult, RecycleAction, RecycleMatch, RecycleRule
from results.recycling.apply import Fresh, next_day_opening, recycle_decide, recycle_due_run
from results.recycling.rules import effective_rules, rules_clean, rules_replace
from sync.models import JobState, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_pull_enqueue, results_store
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import disposition_list_with_codes
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.vendors.fixtures import emulator_for
from vendors.adapters.types import DialOutcome, DialResult
from vendors.adapters.webitel.payloads import RESULT_STATUS_FLAG

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def _rule(kind, code, action, delay=None, times=3, **owner):
    return RecycleRule.objects.create(
        match_kind=kind, match_code=code, action=action, delay_minutes=delay,
        max_times=times, **owner,
    )  # fmt: skip


@pytest.fixture
def pushed(emulated_account):
    """A Webitel campaign (it re-pushes: no scheduled calls) with 4 pushed leads."""
    # The emulator's clock is the wall clock, so time-machine moves its call times too.
    account, emulator = emulated_account(
        "webitel", emulator=emulator_for("webitel", guessed_extras=True, clock=time.time)
    )
    campaign = campaign_on(account, lead_list=lead_list_with_leads(4))
    campaign.disposition_list = disposition_list_with_codes()
    campaign.retry_count = 1  # Webitel maxTryCount 1: an unanswered call ends the member
    campaign.save()
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count() == 4
    # The dialer ends or retries a member by itself, without waiting for a call result.
    remote_id = campaign.sync_remote.remote_ref["remote_id"]
    emulator.dialers[remote_id]["parameters"][RESULT_STATUS_FLAG] = False
    return campaign, emulator


def test_campaign_rules_replace_the_lists_and_codes_give_a_default(pushed):
    campaign, _ = pushed
    _rule(RecycleMatch.DISPOSITION, "NA", RecycleAction.NEXT_DAY,
          disposition_list=campaign.disposition_list)  # fmt: skip
    _rule(RecycleMatch.DIALER, "BUSY", RecycleAction.DELAY, 30,
          disposition_list=campaign.disposition_list)  # fmt: skip
    _rule(RecycleMatch.DIALER, "BUSY", RecycleAction.DELAY, 45, times=2, campaign=campaign)
    rules = effective_rules(campaign)
    assert rules[("dialer", "BUSY")].delay_minutes == 45
    assert rules[("dialer", "BUSY")].source == "campaign"
    assert rules[("disposition", "NA")].action == RecycleAction.NEXT_DAY
    # CB has a retry-after of 120 minutes and no rule: again after 120, retry-count times.
    assert rules[("disposition", "CB")].delay_minutes == 120
    assert rules[("disposition", "CB")].source == "code"
    assert ("disposition", "SALE") not in rules  # final codes are never recycled


def test_a_dialer_result_rule_counts_and_stops_at_its_most_times(pushed):
    campaign, _ = pushed
    _rule(RecycleMatch.DIALER, "BUSY", RecycleAction.DELAY, 30, times=2, campaign=campaign)
    lead = LeadSync.objects.filter(campaign=campaign).first().lead
    dues = []
    for minute in range(3):
        at = NOW + dt.timedelta(minutes=minute)
        fresh = Fresh(lead_id=lead.pk, code=DialOutcome.BUSY, at=at)
        dues.append(recycle_decide(campaign=campaign, lead=lead, kind="dialer", fresh=fresh))
    assert dues[0] == NOW + dt.timedelta(minutes=30)
    assert dues[1] == NOW + dt.timedelta(minutes=31)
    assert dues[2] is None  # at most 2 times
    assert LeadRecycle.objects.get(campaign=campaign, lead=lead).times == 2
    row = LeadSync.objects.get(campaign=campaign, lead=lead)
    assert row.not_before == NOW + dt.timedelta(minutes=31)
    # An outcome with no rule changes nothing.
    other = Fresh(lead_id=lead.pk, code=DialOutcome.ANSWERED, at=NOW)
    assert recycle_decide(campaign=campaign, lead=lead, kind="dialer", fresh=other) is None


def test_busy_leads_are_pushed_again_through_the_emulator_when_due(pushed):
    campaign, emulator = pushed
    _rule(RecycleMatch.DIALER, "MAX_TRIES", RecycleAction.DELAY, 30, campaign=campaign)
    remote_id = campaign.sync_remote.remote_ref["remote_id"]
    members_before = len(emulator.members[remote_id])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        emulator.dial(remote_id, 2, answered=False)  # no retries: tries used up
        results_pull_enqueue(campaign=campaign, reason="test")
        run_jobs()
        recycled = LeadSync.objects.filter(campaign=campaign, not_before__isnull=False)
        assert recycled.count() == 2
        assert recycle_due_run() == 0  # not due yet
        clock.shift(dt.timedelta(minutes=31))
        assert recycle_due_run() == 2
        assert LeadSync.objects.filter(campaign=campaign, state="pending").count() == 2
        assert SyncJob.objects.filter(
            campaign=campaign, operation=Operation.CAMPAIGN_SYNC, state=JobState.PENDING
        ).exists()
        run_jobs()
    # The dialer holds the two numbers again as new members; nothing else was sent.
    assert len(emulator.members[remote_id]) == members_before + 2
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count() == 4
    assert recycle_due_run() == 0  # pushed after their time: not due again
    assert not LeadSync.objects.filter(campaign=campaign, not_before__isnull=False).exists()


def test_a_pending_row_recycled_for_later_is_not_pushed_before_its_time(pushed):
    campaign, emulator = pushed
    remote_id = campaign.sync_remote.remote_ref["remote_id"]
    row = LeadSync.objects.filter(campaign=campaign).first()
    later = timezone.now() + dt.timedelta(hours=1)
    LeadSync.objects.filter(pk=row.pk).update(state=LeadSyncState.PENDING, not_before=later)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    members = len(emulator.members[remote_id])
    run_jobs()
    assert LeadSync.objects.get(pk=row.pk).state == LeadSyncState.PENDING
    assert len(emulator.members[remote_id]) == members
    with time_machine.travel(later + dt.timedelta(seconds=1), tick=False):
        campaign_sync_enqueue(campaign=campaign, reason="test")
        run_jobs()
    assert LeadSync.objects.get(pk=row.pk).state == LeadSyncState.PUSHED
    assert len(emulator.members[remote_id]) == members + 1


def test_a_result_the_dialer_will_still_retry_is_left_to_the_dialer(pushed):
    campaign, _ = pushed
    _rule(RecycleMatch.DIALER, "BUSY", RecycleAction.DELAY, 30, campaign=campaign)
    row = LeadSync.objects.filter(campaign=campaign).first()
    results_store(
        campaign=campaign, source="pull",
        results=[DialResult(remote_id=row.remote_id, attempts=1, last_attempt_at=NOW,
                            outcome="BUSY", result_raw="USER_BUSY", done=False)],
    )  # fmt: skip
    assert LeadResult.objects.filter(campaign=campaign).count() == 1
    assert not LeadRecycle.objects.exists()
    results_store(
        campaign=campaign, source="pull",
        results=[DialResult(remote_id=row.remote_id, attempts=2, last_attempt_at=NOW,
                            outcome="BUSY", result_raw="USER_BUSY", done=True)],
    )  # fmt: skip
    assert LeadSync.objects.get(pk=row.pk).not_before == NOW + dt.timedelta(minutes=30)
    # The same report again changes nothing and is not counted twice.
    results_store(
        campaign=campaign, source="pull",
        results=[DialResult(remote_id=row.remote_id, attempts=2, last_attempt_at=NOW,
                            outcome="BUSY", result_raw="USER_BUSY", done=True)],
    )  # fmt: skip
    assert LeadRecycle.objects.get().times == 1


def test_a_disposition_rule_applies_when_a_person_records_the_code(pushed):
    campaign, _ = pushed
    _rule(RecycleMatch.DISPOSITION, "NA", RecycleAction.DELAY, 240, times=1, campaign=campaign)
    row = LeadSync.objects.filter(campaign=campaign).select_related("lead").first()
    user = UserFactory(role="Supervisor")
    with time_machine.travel(NOW, tick=False):
        campaign_lead_disposition_record(campaign=campaign, lead=row.lead, code="NA",
                                         acting_user=user)  # fmt: skip
        campaign_lead_disposition_record(campaign=campaign, lead=row.lead, code="NA",
                                         acting_user=user)  # fmt: skip
    assert LeadSync.objects.get(pk=row.pk).not_before == NOW + dt.timedelta(hours=4)
    assert LeadRecycle.objects.get().times == 1  # at most once


def test_next_day_is_the_windows_opening_in_the_leads_place(pushed):
    from campaigns.models import CallingWindow, CallingWindowDay

    campaign, _ = pushed
    window = CallingWindow.objects.create(name="Weekdays", timezone_policy="fixed",
                                          fixed_timezone="Asia/Kolkata")  # fmt: skip
    for weekday in range(5):
        CallingWindowDay.objects.create(calling_window=window, weekday=weekday,
                                        start=dt.time(9, 30), end=dt.time(18, 0))  # fmt: skip
    campaign.calling_window = window
    campaign.save()
    lead = LeadSync.objects.filter(campaign=campaign).first().lead
    friday = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)  # a Friday
    opening = next_day_opening(campaign, lead, friday)
    # Saturday and Sunday are closed: Monday 09:30 in Kolkata (04:00 UTC).
    assert opening == dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)
    campaign.calling_window = None
    campaign.save()
    lead.timezone = "Europe/Berlin"
    assert next_day_opening(campaign, lead, friday) == dt.datetime(2026, 12, 5, 7, 0, tzinfo=dt.UTC)


def test_rule_rows_are_checked_and_replaced(pushed):
    campaign, _ = pushed
    with pytest.raises(ApplicationError) as caught:
        rules_clean(
            [{"match_kind": "dialer", "match_code": "LOUD", "action": "delay",
              "delay_minutes": 0, "max_times": 0},
             {"match_kind": "disposition", "match_code": "XX", "action": "next_day",
              "max_times": 2}],
            disposition_list=campaign.disposition_list,
        )  # fmt: skip
    errors = caught.value.extra["errors"]
    assert errors[0].startswith("Row 1: “LOUD” is not a dialer result")
    assert "delay in minutes" in errors[0] and "most times" in errors[0]
    assert errors[1].startswith("Row 2: “XX” is not a code of the list")
    rows = rules_clean(
        [{"match_kind": "dialer", "match_code": "BUSY", "action": "delay",
          "delay_minutes": 30, "max_times": 3},
         {"match_kind": "disposition", "match_code": "NA", "action": "next_day",
          "delay_minutes": 99, "max_times": 1}],
        disposition_list=campaign.disposition_list,
    )  # fmt: skip
    assert rows[1]["delay_minutes"] is None
    assert rules_replace(rows=rows, campaign=campaign) == 2
    assert rules_replace(rows=rows[:1], campaign=campaign) == 1
    assert list(RecycleRule.objects.values_list("match_code", flat=True)) == ["BUSY"]


def test_a_paused_campaigns_due_leads_wait_until_it_runs(pushed):
    campaign, _ = pushed
    row = LeadSync.objects.filter(campaign=campaign).first()
    now = timezone.now()
    LeadSync.objects.filter(pk=row.pk).update(
        pushed_at=now - dt.timedelta(minutes=5), not_before=now - dt.timedelta(minutes=1)
    )
    campaign.status = "paused"
    campaign.save()
    assert recycle_due_run() == 0
    assert LeadSync.objects.get(pk=row.pk).state == LeadSyncState.PUSHED
    campaign.status = "active"
    campaign.save()
    assert recycle_due_run() == 1
