"""A calling window as a pure value, applied in a lead's place.

The hours are wall-clock times in the zone the window names (the fixed policy) or in the
lead's own zone. Instants are compared in that zone's local time, so a window of
08:00-21:00 stays 08:00-21:00 local on both sides of a DST change; turning a local
opening into an instant takes the later reading of a wall time that occurs twice and the
moment after a wall time that does not occur, so an opening is never earlier than the
window allows and a closing never later.

Days closed: a weekday without hours, the window's own holidays, and when the window says
so, the public holidays of the lead's country and region and the weekend of that country
(Friday-Saturday in Israel), both from the ``holidays`` library. A lead whose zone is
unknown under the lead-local policy is never open: calling it could be at any hour.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

import holidays
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext, gettext_lazy, ngettext

from campaigns.windows.places import Place

UTC = dt.UTC
# How far ahead an opening is looked for: past any run of holidays a window could hold.
HORIZON_DAYS = 400
# Monday 0: Django's own abbreviations, translated by its catalogs in every language.
_DAY_NAMES = WEEKDAYS_ABBR


class Closed(enum.StrEnum):
    """Why a window is closed for a place at an instant."""

    ZONE_UNKNOWN = "zone_unknown"
    NO_HOURS = "no_hours"  # the window has no hours on this weekday
    WINDOW_HOLIDAY = "window_holiday"  # one of the window's own holidays
    PUBLIC_HOLIDAY = "public_holiday"  # a public holiday where the lead is
    LOCAL_WEEKEND = "local_weekend"  # the weekend of the lead's country
    OUTSIDE_HOURS = "outside_hours"  # a dialling day, before or after its hours


CLOSED_WORDS = {
    Closed.ZONE_UNKNOWN: gettext_lazy("The lead's time zone is unknown."),
    Closed.NO_HOURS: gettext_lazy("No hours on this weekday."),
    Closed.WINDOW_HOLIDAY: gettext_lazy("One of the window's holidays."),
    Closed.PUBLIC_HOLIDAY: gettext_lazy("A public holiday there."),
    Closed.LOCAL_WEEKEND: gettext_lazy("The weekend there."),
    Closed.OUTSIDE_HOURS: gettext_lazy("Outside the day's hours."),
}


@dataclass(frozen=True)
class WindowRule:
    hours: Mapping[int, tuple[dt.time, dt.time]]  # weekday (Monday 0) -> (start, end)
    own_holidays: frozenset[dt.date] = frozenset()
    fixed_zone: str = ""  # set: the fixed-zone policy
    public_holidays: bool = False
    local_weekend: bool = False
    _zones: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, window) -> WindowRule:
        """The rule of a ``campaigns.CallingWindow`` (reads its days and holidays)."""
        return cls.build(
            days=[(day.weekday, day.start, day.end) for day in window.days.all()],
            holidays=[holiday.date for holiday in window.holidays.all()],
            timezone_policy=window.timezone_policy,
            fixed_timezone=window.fixed_timezone,
            skip_public_holidays=window.skip_public_holidays,
            skip_local_weekend=window.skip_local_weekend,
        )

    @classmethod
    def build(
        cls,
        *,
        days,
        holidays,
        timezone_policy: str,
        fixed_timezone: str,
        skip_public_holidays: bool,
        skip_local_weekend: bool,
    ) -> WindowRule:
        """From a window's values: ``days`` as (weekday, start, end), ``holidays`` dates."""
        from campaigns.models import TimezonePolicy

        return cls(
            hours={weekday: (start, end) for weekday, start, end in days},
            own_holidays=frozenset(holidays),
            fixed_zone=fixed_timezone if timezone_policy == TimezonePolicy.FIXED else "",
            public_holidays=skip_public_holidays,
            local_weekend=skip_local_weekend,
        )

    # --- one instant ---------------------------------------------------------------------

    def closed_reason(self, at: dt.datetime, place: Place) -> Closed | None:
        """None when a lead in ``place`` may be dialled at ``at``; else why not."""
        zone = self.zone(place)
        if zone is None:
            return Closed.ZONE_UNKNOWN
        local = at.astimezone(zone)
        day_closed = self.day_closed(local.date(), place)
        if day_closed:
            return day_closed
        start, end = self.hours[local.weekday()]
        return None if start <= local.time() < end else Closed.OUTSIDE_HOURS

    def is_open(self, at: dt.datetime, place: Place) -> bool:
        return self.closed_reason(at, place) is None

    def day_closed(self, day: dt.date, place: Place) -> Closed | None:
        """Why ``day`` (a date in the window's zone for ``place``) has no hours, or None."""
        if day.weekday() not in self.hours:
            return Closed.NO_HOURS
        if day in self.own_holidays:
            return Closed.WINDOW_HOLIDAY
        if (self.public_holidays or self.local_weekend) and place.country:
            calendar = _public_holidays(place.country, place.subdivision, day.year)
            if calendar is not None:
                if self.public_holidays and day in calendar:
                    return Closed.PUBLIC_HOLIDAY
                if self.local_weekend and day.weekday() in calendar.weekend:
                    return Closed.LOCAL_WEEKEND
        return None

    # --- over time -----------------------------------------------------------------------

    def open_hours(self, day: dt.date, place: Place) -> tuple[dt.datetime, dt.datetime] | None:
        """The instants (UTC) the window opens and closes on local ``day``, or None."""
        zone = self.zone(place)
        if zone is None or self.day_closed(day, place):
            return None
        start, end = self.hours[day.weekday()]
        opens = _instant(day, start, zone, latest=True)
        closes = _instant(day, end, zone, latest=False)
        return (opens, closes) if opens < closes else None

    def next_opening(self, at: dt.datetime, place: Place) -> dt.datetime | None:
        """``at`` when open now; else the next instant the window opens for ``place``
        (None: no opening within ``HORIZON_DAYS``, or the zone is unknown)."""
        zone = self.zone(place)
        if zone is None:
            return None
        today = at.astimezone(zone).date()
        for offset in range(HORIZON_DAYS):
            hours = self.open_hours(today + dt.timedelta(days=offset), place)
            if hours and at < hours[1]:
                return max(at, hours[0])
        return None

    def next_closing(self, at: dt.datetime, place: Place) -> dt.datetime | None:
        """When the window open at ``at`` closes for ``place`` (None when closed now)."""
        if not self.is_open(at, place):
            return None
        zone = self.zone(place)
        return self.open_hours(at.astimezone(zone).date(), place)[1]

    def last_closing(self, at: dt.datetime, place: Place) -> dt.datetime | None:
        """The latest instant at or before ``at`` the window closed for ``place`` (within
        the last week; None when it did not close in that time or the zone is unknown)."""
        zone = self.zone(place)
        if zone is None:
            return None
        today = at.astimezone(zone).date()
        for offset in range(8):
            hours = self.open_hours(today - dt.timedelta(days=offset), place)
            if hours and hours[1] <= at:
                return hours[1]
        return None

    # --- words ---------------------------------------------------------------------------

    def describe(self) -> str:
        """The rule in words: "Mon–Fri 08:00–21:00 in each lead's local time; …"."""
        if not self.hours:
            return gettext("No dialling days: no lead is ever called.")
        spans = ", ".join(_day_spans(self.hours))
        if self.fixed_zone:
            where = gettext("in %(zone)s") % {"zone": self.fixed_zone}
        else:
            where = gettext("in each lead's local time")
        parts = [f"{spans} {where}"]
        if self.public_holidays:
            parts.append(gettext("not on public holidays in the lead's country (and US state)"))
        if self.local_weekend:
            parts.append(gettext("not on the weekend of the lead's country"))
        if self.own_holidays:
            count = len(self.own_holidays)
            parts.append(
                ngettext(
                    "not on the window's %(count)s holiday",
                    "not on the window's %(count)s holidays",
                    count,
                )
                % {"count": count}
            )
        return "; ".join(parts) + "."

    def zone(self, place: Place) -> zoneinfo.ZoneInfo | None:
        name = self.fixed_zone or place.zone
        if not name:
            return None
        if name not in self._zones:
            try:
                self._zones[name] = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self._zones[name] = None
        return self._zones[name]


def _instant(day: dt.date, wall: dt.time, zone: zoneinfo.ZoneInfo, *, latest: bool) -> dt.datetime:
    """The UTC instant of a wall time on a local day. A wall time that occurs twice (the
    hour DST ends) is read late for an opening and early for a closing; one that does not
    occur (the hour DST starts) becomes the first instant after the gap, which is also the
    gap's start: the window opens or closes as the clocks jump."""
    naive = dt.datetime.combine(day, wall)
    candidates = sorted({naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)})
    real = [instant for instant in candidates if _wall(instant, zone) == naive]
    if real:
        return real[-1] if latest else real[0]
    instant = candidates[0]  # in the gap: the first minute whose wall time is past it
    while _wall(instant, zone) < naive:
        instant += dt.timedelta(minutes=1)
    return instant


def _wall(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str, year: int):
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:  # a country (or region) the library does not know
        if subdivision:
            return _public_holidays(country, "", year)
        return None


def _day_spans(hours: Mapping[int, tuple[dt.time, dt.time]]) -> list[str]:
    """Consecutive weekdays with the same hours, as "Mon–Fri 08:00–21:00"."""
    spans: list[str] = []
    days = sorted(hours)
    run = [days[0]]
    for day in days[1:] + [None]:
        if day is not None and day == run[-1] + 1 and hours[day] == hours[run[0]]:
            run.append(day)
            continue
        start, end = hours[run[0]]
        names = (
            _DAY_NAMES[run[0]] if len(run) == 1 else f"{_DAY_NAMES[run[0]]}–{_DAY_NAMES[run[-1]]}"
        )
        spans.append(f"{names} {start:%H:%M}–{end:%H:%M}")
        if day is not None:
            run = [day]
    return spans
