"""Issue #13 point 2: the calling window enforced on each of the five dialers, by its
declared means, through the emulators (which dial only what their schedules allow).

Leads in New York, Berlin, Jerusalem and Kolkata; the window is every day 08:00-21:00 in
each lead's own time. Each instant is chosen so that a wrong UTC offset (the day's DST
change, Kolkata's half hour) would flip a place:

- 2026-03-08 06:30 UTC: New York 01:30 EST, before the US change at 02:00; it opens at
  08:00 EDT = 12:00 UTC (13:00 UTC with the old offset). Berlin 07:30 CET (opens 07:00
  UTC), Jerusalem 08:30 IST, Kolkata 12:00.
- 2026-03-08 12:15 UTC: New York 08:15 EDT (07:15 with the old offset: closed).
- 2026-03-27 05:30 UTC: Jerusalem 08:30 IDT, Israel's change day (07:30 IST: closed);
  New York 01:30 and Berlin 06:30 open later that day; Kolkata 11:00.
- 2026-10-25 19:30 UTC: Berlin 20:30 CET, the night after its change (21:30 CEST:
  closed); New York 15:30; Jerusalem 21:30 (closed, Israel changed the same night);
  Kolkata 01:00 on the 26th (opens later that day).
- 2026-12-03 18:00 UTC: Kolkata 23:30 (closed); New York 13:00, Berlin 19:00,
  Jerusalem 20:00.

What each dialer gets:
- GATE (Ozonetel) and CAMPAIGN_TIME without run times (jtel here): only the leads open now.
- PER_LEAD (Voicenter, Webitel): the leads open now or opening later that local day, each
  with its opening; the emulator dials only the ones open now.
- CAMPAIGN_TIME (Acefone, its time group read as 08:00-21:00 Asia/Kolkata = 02:30-15:30
  UTC): only leads open now whose window closes within that time; none outside it.
"""

from __future__ import annotations

import pytest

from sync.models import LeadSync, LeadSyncState
from tests.sync.remote import remote_ref
from tests.sync.window_enforcement import (
    KINDS,
    at,
    campaign_in_four_zones,
    dial_now,
    phones_held,
    places_of,
    sync_at,
)

ALL = {"new_york", "berlin", "jerusalem", "kolkata"}
# instant -> (open now, per-lead pushed, Acefone pushed)
EXPECTED = {
    "2026-03-08 06:30": ({"jerusalem", "kolkata"}, ALL, {"kolkata"}),
    "2026-03-08 12:15": (ALL, ALL, {"kolkata"}),
    "2026-03-27 05:30": ({"jerusalem", "kolkata"}, ALL, {"kolkata"}),
    "2026-10-25 19:30": ({"new_york", "berlin"}, {"new_york", "berlin", "kolkata"}, set()),
    "2026-12-03 18:00": (
        {"new_york", "berlin", "jerusalem"},
        {"new_york", "berlin", "jerusalem"},
        set(),
    ),
}


def _pushed(kind: str, instant: str) -> set[str]:
    open_now, per_lead, acefone = EXPECTED[instant]
    return {"voicenter": per_lead, "webitel": per_lead, "acefone": acefone}.get(kind, open_now)


@pytest.mark.parametrize("instant", sorted(EXPECTED))
@pytest.mark.parametrize("kind", KINDS)
def test_each_dialer_gets_and_dials_exactly_what_the_window_allows(kind, instant, emulated_account):
    account, emulator = emulated_account(kind)
    campaign = campaign_in_four_zones(account)
    now = at(instant)
    sync_at(campaign, now)

    held = phones_held(kind, emulator, campaign)
    assert places_of(held) == _pushed(kind, instant)
    assert len(held) == len(_pushed(kind, instant)) * 2  # each lead once
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count()
    assert pushed == len(held)
    # The others wait, queued, for the gate.
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING).count() == (
        8 - len(held)
    )
    open_now = EXPECTED[instant][0]
    assert dial_now(kind, emulator, campaign, now) == _pushed(kind, instant) & open_now


def test_voicenter_originate_time_is_the_opening_after_the_us_dst_change(emulated_account):
    account, emulator = emulated_account("voicenter")
    campaign = campaign_in_four_zones(account)
    sync_at(campaign, at("2026-03-08 06:30"))
    calls = emulator.campaigns[remote_ref(campaign)["remote_id"]].calls.values()
    times = {places_of([call.target]).pop(): call.originate_time for call in calls}
    assert times["new_york"] == int(at("2026-03-08 12:00").timestamp())  # 08:00 EDT
    assert times["berlin"] == int(at("2026-03-08 07:00").timestamp())  # 08:00 CET
    # Open now: their opening is now.
    assert times["kolkata"] == int(at("2026-03-08 06:30").timestamp())
    # An hour before New York opens nothing of it is dialled; at its opening it is.
    assert "new_york" not in dial_now("voicenter", emulator, campaign, at("2026-03-08 11:59"))
    assert dial_now("voicenter", emulator, campaign, at("2026-03-08 12:00")) == {"new_york"}


def test_webitel_members_carry_their_zone_and_the_window_is_the_ranges(emulated_account):
    account, emulator = emulated_account("webitel")
    campaign = campaign_in_four_zones(account, start="09:30", end="18:00")
    sync_at(campaign, at("2026-03-08 06:30"))
    dialer_id = remote_ref(campaign)["remote_id"]
    dialer = emulator.dialers[dialer_id]
    ranges = [kind["ranges"] for kind in dialer["communications"]["types"]]
    assert ranges and all(r[0]["startTime"] == 570 and r[0]["endTime"] == 1080 for r in ranges)
    zones = {
        places_of([m["communications"][0]["number"]]).pop(): m.get("timezone")
        for m in emulator.members[dialer_id].values()
    }
    assert zones["new_york"] == "America/New_York" and zones["kolkata"] == "Asia/Kolkata"
    # 13:29 UTC is 09:29 EDT: not yet; 13:30 is 09:30 EDT.
    assert "new_york" not in dial_now("webitel", emulator, campaign, at("2026-03-08 13:29"))
    assert "new_york" in dial_now("webitel", emulator, campaign, at("2026-03-08 13:30"))


def test_ozonetel_expiry_date_is_the_windows_closing_date(emulated_account):
    account, emulator = emulated_account("ozonetel")
    campaign = campaign_in_four_zones(account)
    sync_at(campaign, at("2026-03-08 12:15"))
    emulator.process_queue(force=True)
    rows = emulator.campaigns[remote_ref(campaign)["remote_id"]].rows
    expiry = {places_of([row["PhoneNumber"]]).pop(): row.get("ExpiryDate") for row in rows}
    # New York closes at 21:00 EDT = 01:00 UTC on the 9th = 06:30 on the 9th in India.
    assert expiry["new_york"] == "2026-03-09"
    assert expiry["kolkata"] == "2026-03-08"
    # Not dialled by the day after its ExpiryDate: the emulator drops it.
    assert dial_now("ozonetel", emulator, campaign, at("2026-03-10 06:00")) == set()
