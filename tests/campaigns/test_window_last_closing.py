"""``WindowRule.last_closing``: when the window last closed for a place, which the gate's
take-back compares with when a lead was pushed (sync/window_gate.py)."""

from __future__ import annotations

import datetime as dt

from campaigns.windows import Place, WindowRule

UTC = dt.UTC
NINE_TO_FIVE = WindowRule.build(
    days=[(day, dt.time(9), dt.time(17)) for day in range(5)],
    holidays=[],
    timezone_policy="lead_local",
    fixed_timezone="",
    skip_public_holidays=False,
    skip_local_weekend=False,
)
BERLIN = Place(zone="Europe/Berlin", country="DE")


def test_the_same_days_closing_once_past():
    # Tuesday 27 Oct 2026, 17:30 UTC: 18:30 in Berlin (CET since Sunday); closed at 16:00.
    at = dt.datetime(2026, 10, 27, 17, 30, tzinfo=UTC)
    assert NINE_TO_FIVE.last_closing(at, BERLIN) == dt.datetime(2026, 10, 27, 16, tzinfo=UTC)


def test_before_todays_opening_it_is_the_previous_working_days():
    # Monday 26 Oct 2026, 07:00 UTC: the last closing was Friday's, 17:00 CEST = 15:00 UTC.
    at = dt.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert NINE_TO_FIVE.last_closing(at, BERLIN) == dt.datetime(2026, 10, 23, 15, tzinfo=UTC)


def test_no_zone_no_closing():
    at = dt.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert NINE_TO_FIVE.last_closing(at, Place()) is None
