"""Calling windows applied in each lead's place (issue #13, point 1): weekdays and hours in
the lead's zone, the window's holidays, public holidays of the lead's country and US state,
the country's own weekend, across DST changes and half-hour offsets."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from campaigns.models import CallingWindow, CallingWindowDay, CallingWindowHoliday, TimezonePolicy
from campaigns.windows import Closed, Place, WindowRule, place_of_key, place_of_lead

UTC = dt.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
JERUSALEM = zoneinfo.ZoneInfo("Asia/Jerusalem")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
WEEKDAYS = {day: (dt.time(8), dt.time(21)) for day in range(5)}
EVERY_DAY = {day: (dt.time(8), dt.time(21)) for day in range(7)}

NY = Place(zone="America/New_York", country="US", subdivision="NY")
TX = Place(zone="America/Chicago", country="US", subdivision="TX")
IL = Place(zone="Asia/Jerusalem", country="IL")
IN = Place(zone="Asia/Kolkata", country="IN")
DE = Place(zone="Europe/Berlin", country="DE", subdivision="BE")


def local(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


# --- where a lead is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "place"),
    [
        ("+12125550100", ("US", "NY")),  # "New York, NY"
        ("+12015550100", ("US", "NJ")),  # "New Jersey"
        ("+15125550100", ("US", "TX")),
        ("+14165550100", ("CA", "ON")),  # Toronto: Canada, not the US
        ("+18095550100", ("DO", "")),  # the Dominican Republic shares +1
        ("+493012345678", ("DE", "")),
        ("+972501234567", ("IL", "")),
        ("+919812345678", ("IN", "")),
        ("+380501234567", ("UA", "")),
    ],
)
def test_the_number_tells_the_country_and_the_us_state(phone, place):
    assert place_of_lead(phone=phone) == Place(zone="", country=place[0], subdivision=place[1])


def test_the_zone_is_the_leads_own_then_its_lists():
    assert place_of_lead(phone="+12125550100", timezone="America/New_York").zone == (
        "America/New_York"
    )
    assert place_of_lead(phone="+12125550100", list_timezone="Europe/Berlin").zone == (
        "Europe/Berlin"
    )
    assert place_of_key("+1212") == ("US", "NY")


# --- one instant ----------------------------------------------------------------------------


def test_open_only_on_the_windows_weekdays_and_hours_in_the_leads_zone():
    rule = WindowRule(hours=WEEKDAYS)
    # Thursday 3 Dec 2026, 08:09 UTC is 03:09 in New York: the issue's own example.
    assert rule.closed_reason(dt.datetime(2026, 12, 3, 8, 9, tzinfo=UTC), NY) == (
        Closed.OUTSIDE_HOURS
    )
    assert rule.is_open(local(NEW_YORK, 2026, 12, 3, 8, 0), NY)
    assert not rule.is_open(local(NEW_YORK, 2026, 12, 3, 21, 0), NY)  # the end is excluded
    assert rule.closed_reason(local(NEW_YORK, 2026, 12, 5, 12), NY) == Closed.NO_HOURS
    # The same instant, 14:00 UTC: open in New York (09:00), closed in Kolkata (19:30 is
    # open, but 02:30 is not: check both sides).
    assert rule.is_open(dt.datetime(2026, 12, 3, 14, tzinfo=UTC), NY)
    assert not rule.is_open(dt.datetime(2026, 12, 3, 21, tzinfo=UTC), IN)


def test_a_lead_without_a_zone_is_never_open_under_the_local_policy():
    rule = WindowRule(hours=EVERY_DAY)
    nowhere = Place(country="US")
    assert rule.closed_reason(dt.datetime(2026, 12, 3, 15, tzinfo=UTC), nowhere) == (
        Closed.ZONE_UNKNOWN
    )
    assert rule.next_opening(dt.datetime(2026, 12, 3, 15, tzinfo=UTC), nowhere) is None
    # A fixed zone applies to every lead, zone known or not.
    fixed = WindowRule(hours=EVERY_DAY, fixed_zone="Europe/Berlin")
    assert fixed.is_open(local(BERLIN, 2026, 12, 3, 9), nowhere)
    assert not fixed.is_open(local(BERLIN, 2026, 12, 3, 7, 59), NY)


def test_the_windows_own_holidays():
    rule = WindowRule(hours=WEEKDAYS, own_holidays=frozenset({dt.date(2026, 12, 24)}))
    assert rule.closed_reason(local(BERLIN, 2026, 12, 24, 10), DE) == Closed.WINDOW_HOLIDAY
    assert rule.is_open(local(BERLIN, 2026, 12, 23, 10), DE)


def test_public_holidays_of_the_country_and_the_state_only_when_the_window_says_so():
    rule = WindowRule(hours=WEEKDAYS, public_holidays=True)
    thanksgiving = local(NEW_YORK, 2026, 11, 26, 12)
    assert rule.closed_reason(thanksgiving, NY) == Closed.PUBLIC_HOLIDAY
    assert WindowRule(hours=WEEKDAYS).is_open(thanksgiving, NY)
    # Lincoln's Birthday (12 Feb 2026, a Thursday) is a New York holiday, not a Texas one.
    assert rule.closed_reason(local(NEW_YORK, 2026, 2, 12, 12), NY) == Closed.PUBLIC_HOLIDAY
    assert rule.is_open(local(zoneinfo.ZoneInfo("America/Chicago"), 2026, 2, 12, 12), TX)
    # Independence Day of India, 15 Aug 2025 (a Friday).
    assert rule.closed_reason(local(KOLKATA, 2025, 8, 15, 12), IN) == Closed.PUBLIC_HOLIDAY
    # Yom Kippur 2026 falls on Monday 21 Sep.
    assert rule.closed_reason(local(JERUSALEM, 2026, 9, 21, 12), IL) == Closed.PUBLIC_HOLIDAY


def test_the_weekend_of_the_leads_country_israel_friday_and_saturday():
    rule = WindowRule(hours=EVERY_DAY, local_weekend=True)
    friday = local(JERUSALEM, 2026, 12, 4, 10)
    sunday = local(JERUSALEM, 2026, 12, 6, 10)
    assert rule.closed_reason(friday, IL) == Closed.LOCAL_WEEKEND
    assert rule.is_open(sunday, IL)  # a working day in Israel
    assert rule.is_open(local(BERLIN, 2026, 12, 4, 10), DE)  # Friday works in Germany
    assert rule.closed_reason(local(BERLIN, 2026, 12, 6, 10), DE) == Closed.LOCAL_WEEKEND


# --- across DST changes and half-hour offsets -------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "place", "day"),
    [
        (NEW_YORK, NY, dt.date(2026, 3, 8)),  # spring forward (a Sunday)
        (NEW_YORK, NY, dt.date(2026, 11, 1)),  # fall back
        (BERLIN, DE, dt.date(2026, 3, 29)),
        (BERLIN, DE, dt.date(2026, 10, 25)),
        (JERUSALEM, IL, dt.date(2026, 3, 27)),  # Israel moves its clocks on a Friday
        (JERUSALEM, IL, dt.date(2026, 10, 25)),
    ],
)
def test_hours_stay_local_across_dst_changes(zone, place, day):
    rule = WindowRule(hours=EVERY_DAY)
    opens, closes = rule.open_hours(day, place)
    assert opens.astimezone(zone).time() == dt.time(8)
    assert closes.astimezone(zone).time() == dt.time(21)
    # The day before and after have the same local hours though a different UTC offset.
    before = rule.open_hours(day - dt.timedelta(days=1), place)
    after = rule.open_hours(day + dt.timedelta(days=1), place)
    assert before[0].astimezone(zone).utcoffset() != after[0].astimezone(zone).utcoffset()
    assert (after[0] - before[0]) != dt.timedelta(days=2)  # an hour moved in between
    assert not rule.is_open(opens - dt.timedelta(seconds=1), place)
    assert rule.is_open(opens, place)


def test_a_window_edge_in_the_hour_that_does_not_exist_or_occurs_twice():
    night = {6: (dt.time(1, 30), dt.time(2, 30))}  # Sundays 01:30-02:30
    rule = WindowRule(hours=night)
    # 8 Mar 2026: 02:00 EST jumps to 03:00 EDT; the window closes as the clocks jump.
    opens, closes = rule.open_hours(dt.date(2026, 3, 8), NY)
    assert opens == dt.datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert closes == dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT, the gap's end
    # 1 Nov 2026: 01:30 happens twice; the window opens at the later one (EST).
    opens, _ = rule.open_hours(dt.date(2026, 11, 1), NY)
    assert opens == dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


@time_machine.travel(dt.datetime(2026, 12, 3, 18, 0, tzinfo=UTC))  # 23:30 in Kolkata
def test_half_hour_offsets_kolkata_at_2330():
    rule = WindowRule(hours=EVERY_DAY)
    now = dt.datetime.now(UTC)
    assert now.astimezone(KOLKATA).time() == dt.time(23, 30)
    assert rule.closed_reason(now, IN) == Closed.OUTSIDE_HOURS
    # Next opening: 08:00 IST on 4 Dec = 02:30 UTC.
    assert rule.next_opening(now, IN) == dt.datetime(2026, 12, 4, 2, 30, tzinfo=UTC)
    assert rule.is_open(dt.datetime(2026, 12, 4, 2, 30, tzinfo=UTC), IN)
    assert not rule.is_open(dt.datetime(2026, 12, 4, 2, 29, tzinfo=UTC), IN)


# --- the next opening -------------------------------------------------------------------------


def test_next_opening_skips_closed_days_and_is_now_when_open():
    rule = WindowRule(hours=WEEKDAYS, public_holidays=True)
    friday_night = local(NEW_YORK, 2026, 12, 4, 22)
    assert rule.next_opening(friday_night, NY) == local(NEW_YORK, 2026, 12, 7, 8)
    open_now = local(NEW_YORK, 2026, 12, 7, 9, 15)
    assert rule.next_opening(open_now, NY) == open_now
    assert rule.next_closing(open_now, NY) == local(NEW_YORK, 2026, 12, 7, 21)
    assert rule.next_closing(friday_night, NY) is None
    # Christmas Day 2026 is a Friday: after Thursday evening the next opening is Monday.
    assert rule.next_opening(local(NEW_YORK, 2026, 12, 24, 21, 30), NY) == local(
        NEW_YORK, 2026, 12, 28, 8
    )


def test_a_window_without_days_never_opens():
    rule = WindowRule(hours={})
    assert rule.next_opening(dt.datetime(2026, 12, 3, tzinfo=UTC), NY) is None
    assert rule.describe() == "No dialling days: no lead is ever called."


# --- from the model, and in words ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_rule_of_a_stored_window_and_its_words():
    window = CallingWindow.objects.create(
        name="US TCPA", skip_public_holidays=True, skip_local_weekend=True
    )
    for day in range(5):
        CallingWindowDay.objects.create(calling_window=window, weekday=day)
    CallingWindowDay.objects.create(
        calling_window=window, weekday=5, start=dt.time(10), end=dt.time(14)
    )
    CallingWindowHoliday.objects.create(calling_window=window, date=dt.date(2026, 12, 31))
    rule = WindowRule.of(window)
    assert rule.hours[5] == (dt.time(10), dt.time(14))
    assert rule.describe() == (
        "Mon–Fri 08:00–21:00, Sat 10:00–14:00 in each lead's local time; not on public "
        "holidays in the lead's country (and US state); not on the weekend of the lead's "
        "country; not on the window's 1 holiday."
    )
    window.timezone_policy = TimezonePolicy.FIXED
    window.fixed_timezone = "Europe/Berlin"
    assert "in Europe/Berlin" in WindowRule.of(window).describe()
