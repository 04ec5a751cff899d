"""Today's open hours of a calling window in the five vendors' main zones, for the
window editor: what the rule means before any campaign uses it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from campaigns.windows.places import Place
from campaigns.windows.rules import CLOSED_WORDS, WindowRule

# Where the five dialers sell: Webitel (Kyiv), Voicenter (Jerusalem), Acefone and
# Ozonetel (Kolkata), jtel (Berlin), and the TCPA's home (New York).
PREVIEW_PLACES = (
    ("New York", Place(zone="America/New_York", country="US", subdivision="NY")),
    ("Berlin", Place(zone="Europe/Berlin", country="DE", subdivision="BE")),
    ("Jerusalem", Place(zone="Asia/Jerusalem", country="IL")),
    ("Kolkata", Place(zone="Asia/Kolkata", country="IN")),
    ("Kyiv", Place(zone="Europe/Kyiv", country="UA")),
)


@dataclass(frozen=True)
class PreviewRow:
    city: str
    local_now: dt.datetime  # now, in the place's own zone
    opens: dt.datetime | None  # today's opening and closing in that zone, or None
    closes: dt.datetime | None
    open_now: bool
    closed_because: str  # words, when today has no hours
    next_opening: dt.datetime | None  # in that zone; None when open now or never

    # In the place's own wall time: the preview reads as a person there would say it.
    @property
    def now_text(self) -> str:
        return _wall(self.local_now)

    @property
    def hours_text(self) -> str:
        if self.opens is None:
            return str(self.closed_because or gettext("Closed today."))
        return f"{self.opens:%H:%M}–{self.closes:%H:%M} ({_offset(self.opens)})"

    @property
    def state_text(self) -> str:
        if self.open_now:
            return gettext("Open now")
        if self.next_opening is None:
            return gettext("Closed; no opening within a year")
        return gettext("Closed; opens %(when)s") % {"when": _wall(self.next_opening)}


def _offset(moment: dt.datetime) -> str:
    """ "UTC+05:30": zone abbreviations are ambiguous (IST is Israel's and India's)."""
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _wall(moment: dt.datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"


def preview_today(rule: WindowRule, now: dt.datetime) -> list[PreviewRow]:
    """Each place's row in its own wall time: with a fixed zone the hours move with it
    (08:00-21:00 in Berlin is 02:00-15:00 in New York)."""
    rows = []
    for city, place in PREVIEW_PLACES:
        zone = rule.zone(place)
        here = ZoneInfo(place.zone)
        day = now.astimezone(zone).date()  # the day as the window counts it
        hours = rule.open_hours(day, place)
        day_closed = rule.day_closed(day, place)
        open_now = rule.is_open(now, place)
        following = None if open_now else rule.next_opening(now, place)
        rows.append(
            PreviewRow(
                city=city,
                local_now=now.astimezone(here),
                opens=hours[0].astimezone(here) if hours else None,
                closes=hours[1].astimezone(here) if hours else None,
                open_now=open_now,
                closed_because=CLOSED_WORDS[day_closed] if day_closed else "",
                next_opening=following.astimezone(here) if following else None,
            )
        )
    return rows
