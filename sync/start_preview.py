"""Before a campaign starts: how many of its leads the calling window lets the dialer call
now, later today, tomorrow, later or never, per time zone (issue #13, point 4).

"Today" and "tomorrow" are calendar days where the window counts its hours: each lead's own
time zone under the lead-local policy, the window's zone under the fixed policy. Each lead
is counted once, by its first opening. The leads counted are those callable by themselves
(``sync.dialling.own_reason_sql``) and not refused by the dialer; the grouping and the
window's judgement are the breakdown's (``sync.dialling.lead_groups`` and ``GroupJudge``):
one GROUP BY, the window judged once per (zone, number key), never per lead.

Starting a campaign none of whose leads can be called within the next 24 hours asks for a
confirmation with ``StartPreview.nothing_soon``, the reason in words.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from campaigns.models import Campaign
from campaigns.windows import Closed
from sync.dialling import GroupJudge, lead_groups, visible_list_ids, window_rule

SOON = dt.timedelta(hours=24)
UNKNOWN_ZONE = gettext_lazy("unknown zone")
DAYS_WORDS = gettext_lazy(
    "“Later today” and “tomorrow” are calendar days in each lead's own time zone "
    "(in the window's zone when the window has a fixed one)."
)
BUCKETS = ("now", "later_today", "tomorrow", "later", "never")


@dataclass
class ZonePreview:
    zone: str  # the lead's zone, else its list's; "" when neither tells it
    now: int = 0
    later_today: int = 0
    tomorrow: int = 0
    later: int = 0  # after tomorrow
    never: int = 0  # no opening within a year, or the zone unknown under lead-local hours
    opens_at: dt.datetime | None = None  # the earliest opening of its leads not open now

    @property
    def label(self) -> str:
        return self.zone or str(UNKNOWN_ZONE)

    @property
    def total(self) -> int:
        return sum(getattr(self, bucket) for bucket in BUCKETS)


@dataclass
class StartPreview:
    at: dt.datetime
    zones: list[ZonePreview] = field(default_factory=list)  # by zone name, unknown last
    within_24h: int = 0  # leads whose window is open at some moment of the next 24 hours
    window_name: str = ""
    window_words: str = ""  # "" without a calling window

    def count(self, bucket: str) -> int:
        return sum(getattr(zone, bucket) for zone in self.zones)

    @property
    def now(self) -> int:
        return self.count("now")

    @property
    def later_today(self) -> int:
        return self.count("later_today")

    @property
    def tomorrow(self) -> int:
        return self.count("tomorrow")

    @property
    def later(self) -> int:
        return self.count("later")

    @property
    def never(self) -> int:
        return self.count("never")

    @property
    def total(self) -> int:
        return sum(zone.total for zone in self.zones)

    @property
    def nothing_soon(self) -> str:
        """Why no lead can be called in the next 24 hours, or "" when one can (or when
        there is no lead at all: ``campaigns.readiness`` refuses that)."""
        if self.within_24h or not self.total:
            return ""
        parts = [
            gettext("No lead of this campaign can be called in the next 24 hours."),
            gettext("Its calling window “%(name)s”: %(rule)s")
            % {"name": self.window_name, "rule": self.window_words},
        ]
        opening = min(
            (zone for zone in self.zones if zone.opens_at), key=lambda z: z.opens_at, default=None
        )
        if opening is not None:
            zone, local = _local(opening.zone, opening.opens_at)
            waiting = opening.later_today + opening.tomorrow + opening.later
            parts.append(
                ngettext(
                    "It opens next for %(count)s lead in %(where)s on %(date)s at %(time)s "
                    "(%(zone)s).",
                    "It opens next for %(count)s leads in %(where)s on %(date)s at %(time)s "
                    "(%(zone)s).",
                    waiting,
                )
                % {
                    "count": number_format(waiting, force_grouping=True),
                    "where": opening.label,
                    "date": date_format(local, "D d M Y"),  # day and month in the language
                    "time": f"{local:%H:%M}",
                    "zone": zone,
                }
            )
        if self.never:
            parts.append(
                ngettext(
                    "%(count)s lead is never called: its time zone is unknown, or the "
                    "window does not open for it within a year.",
                    "%(count)s leads are never called: their time zone is unknown, or the "
                    "window does not open for them within a year.",
                    self.never,
                )
                % {"count": number_format(self.never, force_grouping=True)}
            )
        return " ".join(parts)


def campaign_start_preview(
    *, campaign: Campaign, user=None, at: dt.datetime | None = None
) -> StartPreview:
    """The preview at ``at`` (now) over the campaign's lists ``user`` may see (all of them
    without a user: the start's confirmation counts every list the dialer would get)."""
    at = at or timezone.now()
    rule = window_rule(campaign)
    judge = GroupJudge(rule, at)
    zones: dict[str, ZonePreview] = defaultdict(lambda: ZonePreview(""))
    within = 0
    groups = lead_groups(campaign, visible_list_ids(campaign, user), callable_only=True)
    for _own, _state, zone, key, leads in groups:
        row = zones[zone]
        row.zone = zone
        closed, opens_at = judge(zone, key)
        if closed is None:
            row.now += leads
            within += leads
            continue
        bucket = _bucket(rule, at, zone, key, closed, opens_at)
        setattr(row, bucket, getattr(row, bucket) + leads)
        if opens_at is not None:
            within += leads if opens_at < at + SOON else 0
            row.opens_at = opens_at if row.opens_at is None else min(row.opens_at, opens_at)
    return StartPreview(
        at=at,
        zones=sorted(zones.values(), key=lambda row: (not row.zone, row.zone)),
        within_24h=within,
        window_name=campaign.calling_window.name if campaign.calling_window else "",
        window_words=rule.describe() if rule else "",
    )


def _bucket(rule, at, zone, key, closed, opens_at) -> str:
    if closed == Closed.ZONE_UNKNOWN or opens_at is None:
        return "never"
    counted_in = rule.zone(GroupJudge.place(zone, key))
    days = (opens_at.astimezone(counted_in).date() - at.astimezone(counted_in).date()).days
    return {0: "later_today", 1: "tomorrow"}.get(days, "later")


def _local(zone: str, moment: dt.datetime) -> tuple[str, dt.datetime]:
    """``moment`` in ``zone``'s wall time, or in UTC when the zone is unknown."""
    try:
        return zone, moment.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC", moment.astimezone(dt.UTC)
