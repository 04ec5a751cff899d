"""Issue #13 point 2, the console's gate: holidays and Israel's Friday-Saturday weekend
held back, leads taken back when their window closes before they were dialled (never one
already dialled), the beat that keeps the dialer supplied, and the campaign-level times of
jtel (Runs from/to) and Acefone (its time group)."""

from __future__ import annotations

import pytest
import time_machine

from results.models import LeadResult
from sync.models import LeadSync, LeadSyncState
from sync.window_gate import TAKEN_BACK, window_gate_all
from tests.sync.conftest import run_jobs
from tests.sync.remote import remote_ref
from tests.sync.window_enforcement import (
    at,
    campaign_in_four_zones,
    dial_now,
    phones_held,
    places_of,
    sync_at,
)


@pytest.mark.parametrize("kind", ["ozonetel", "voicenter"])
def test_a_public_holiday_where_the_lead_is_holds_it_back(kind, emulated_account):
    # Thanksgiving, Thursday 26 Nov 2026, 15:00 UTC: 10:00 in New York, a holiday there.
    account, emulator = emulated_account(kind)
    campaign = campaign_in_four_zones(account, skip_public_holidays=True)
    sync_at(campaign, at("2026-11-26 15:00"))
    assert places_of(phones_held(kind, emulator, campaign)) == {"berlin", "jerusalem", "kolkata"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("ozonetel", {"berlin", "kolkata"}),
        # Per lead: New York (05:00) opens later that day; Jerusalem not before Sunday.
        ("voicenter", {"berlin", "kolkata", "new_york"}),
    ],
)
def test_israels_friday_is_its_weekend(kind, expected, emulated_account):
    # Friday 4 Dec 2026, 10:00 UTC: 12:00 in Jerusalem (weekend), 11:00 Berlin, 15:30 Kolkata.
    account, emulator = emulated_account(kind)
    campaign = campaign_in_four_zones(account, skip_local_weekend=True)
    sync_at(campaign, at("2026-12-04 10:00"))
    assert places_of(phones_held(kind, emulator, campaign)) == expected
    waiting = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING)
    assert places_of(waiting.values_list("lead__phone", flat=True)) == {"jerusalem", "new_york"} - (
        expected
    )


def test_a_call_not_dialled_by_its_windows_close_is_taken_back_and_sent_again(emulated_account):
    account, emulator = emulated_account("voicenter")
    campaign = campaign_in_four_zones(account)
    sync_at(campaign, at("2026-03-08 06:30"))  # all four pushed, each with its opening
    # Jerusalem and Kolkata, open, are dialled at once; New York and Berlin wait.
    assert dial_now("voicenter", emulator, campaign, at("2026-03-08 06:31")) == {
        "jerusalem",
        "kolkata",
    }
    # 20:30 UTC: Berlin closed at 20:00 UTC and was never dialled; New York is open.
    closing = at("2026-03-08 20:30")
    with time_machine.travel(closing, tick=False):
        assert window_gate_all() == 1
        run_jobs()
    held = places_of(phones_held("voicenter", emulator, campaign))
    assert held == {"new_york"}
    berlin = LeadSync.objects.filter(campaign=campaign, lead__phone__startswith="+49")
    assert set(berlin.values_list("state", "reason")) == {(LeadSyncState.PENDING, TAKEN_BACK)}
    # The leads the dialer dialled were not taken back (their results were read first).
    dialled = LeadSync.objects.filter(
        campaign=campaign, lead__phone__regex=r"^\+(972|91)"
    ).values_list("state", flat=True)
    assert set(dialled) == {LeadSyncState.PUSHED}
    assert LeadResult.objects.filter(campaign=campaign, done=True).count() == 4
    # The beat has nothing more to do until Berlin's next day opens.
    with time_machine.travel(at("2026-03-08 22:00"), tick=False):
        assert window_gate_all() == 0
    # Past Berlin's midnight the beat sends it again, with its new opening.
    with time_machine.travel(at("2026-03-08 23:05"), tick=False):
        assert window_gate_all() == 1
        run_jobs()
    calls = emulator.campaigns[remote_ref(campaign)["remote_id"]].calls.values()
    times = {places_of([call.target]).pop(): call.originate_time for call in calls}
    assert times["berlin"] == int(at("2026-03-09 07:00").timestamp())


def test_the_beat_supplies_the_dialer_as_zones_open(emulated_account):
    account, emulator = emulated_account("ozonetel")
    campaign = campaign_in_four_zones(account)
    sync_at(campaign, at("2026-03-08 06:30"))
    assert places_of(phones_held("ozonetel", emulator, campaign)) == {"jerusalem", "kolkata"}
    with time_machine.travel(at("2026-03-08 06:45"), tick=False):
        assert window_gate_all() == 0  # nobody opened since
    with time_machine.travel(at("2026-03-08 07:05"), tick=False):  # Berlin opened at 07:00
        assert window_gate_all() == 1
        run_jobs()
    assert places_of(phones_held("ozonetel", emulator, campaign)) == {
        "jerusalem",
        "kolkata",
        "berlin",
    }


def test_jtel_pushes_only_leads_whose_window_lies_within_its_run_times(emulated_account):
    account, emulator = emulated_account("jtel")
    campaign = campaign_in_four_zones(account)
    # Runs to 8 Mar 2026 20:30 in Berlin (19:30 UTC). At 12:15 UTC all four are open; the
    # windows of Kolkata (to 15:30 UTC) and Jerusalem (21:00 IST, 19:00 UTC) end before the
    # run does, Berlin's (20:00 UTC) and New York's (01:00 UTC) after.
    campaign.vendor_settings["dtTo"] = "2026-03-08 20:30:00"
    campaign.save(update_fields=["vendor_settings"])
    sync_at(campaign, at("2026-03-08 12:15"))
    assert places_of(phones_held("jtel", emulator, campaign)) == {"kolkata", "jerusalem"}


def test_jtel_pushes_nothing_before_its_run_starts(emulated_account):
    account, emulator = emulated_account("jtel")
    campaign = campaign_in_four_zones(account)
    campaign.vendor_settings["dtFrom"] = "2026-03-09 08:00:00"
    campaign.save(update_fields=["vendor_settings"])
    sync_at(campaign, at("2026-03-08 12:15"))
    assert phones_held("jtel", emulator, campaign) == []
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING).count() == 8


def test_acefone_pushes_nothing_outside_its_time_group(emulated_account):
    # 2026-03-08 01:00 UTC is 06:30 in Kolkata: before the time group's 08:00; Jerusalem
    # (03:00) and New York (20:00 EST) are in their own hours or not, it does not matter.
    account, emulator = emulated_account("acefone")
    campaign = campaign_in_four_zones(account)
    sync_at(campaign, at("2026-03-08 01:00"))
    assert phones_held("acefone", emulator, campaign) == []
