"""Why each of a campaign's leads is or is not on the dialer now (issue #13, point 3).

Every lead in the campaign's lists falls in exactly one row, so the rows add up to the
campaign's total. The first reason that holds wins, in ``REASONS`` order: what is true of
the lead itself (its list inactive, invalid, DNC, removed, finished, attempts exhausted),
then of the campaign (not running) and of its dialer account (failing or held), then the
dialer's refusal, then its calling window (zone unknown, a holiday or weekend where the
lead is, outside the hours), and only then whether it is still queued or on the dialer.

One SQL query groups the leads by what decides their row: list active, status, push state,
the dialer's "done", the lead's zone (its own, else its list's) and its number's first five
characters (which fix the country and US state). The window is then judged once per
group, never once per lead: a campaign of a million leads in 20 zones is a few thousand
groups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import team_scope
from campaigns.models import Campaign, CampaignLeadList, CampaignStatus
from campaigns.windows import Closed, WindowRule, place_of_key
from campaigns.windows.places import PLACE_KEY_LENGTH, Place
from leads.models import Lead, LeadList, LeadStatus
from results.models import LeadResult
from sync.models import JobState, LeadSync, LeadSyncState, SyncJob


@dataclass(frozen=True)
class Reason:
    key: str
    label: str


LIST_INACTIVE = Reason("list_inactive", _("Its list is inactive in this campaign"))
INVALID = Reason("invalid", _("Invalid number"))
DNC = Reason("dnc", _("Do not call"))
REMOVED = Reason("removed", _("Removed from its list"))
DONE = Reason("done", _("Finished: a final outcome is recorded"))
EXHAUSTED = Reason("exhausted", _("Attempts exhausted: the dialer will not call it again"))
NOT_RUNNING = Reason("not_running", _("The campaign is not running (draft, paused or stopped)"))
ACCOUNT = Reason("account", _("The dialer account is failing or its jobs are held"))
REFUSED = Reason("refused", _("Refused by the dialer"))
ZONE_UNKNOWN = Reason("zone_unknown", _("Time zone unknown: never called in local hours"))
HOLIDAY = Reason("holiday", _("A holiday or weekend day where the lead is"))
WAITING = Reason("waiting", _("Waiting for its calling window"))
QUEUED = Reason("queued", _("Queued, not yet on the dialer"))
READY = Reason("ready", _("On the dialer and callable now"))
REASONS = (
    LIST_INACTIVE,
    INVALID,
    DNC,
    REMOVED,
    DONE,
    EXHAUSTED,
    NOT_RUNNING,
    ACCOUNT,
    REFUSED,
    ZONE_UNKNOWN,
    HOLIDAY,
    WAITING,
    QUEUED,
    READY,
)
_BY_STATUS = {LeadStatus.INVALID: INVALID, LeadStatus.DNC: DNC, LeadStatus.REMOVED: REMOVED}
_WINDOW_REASONS = {
    Closed.ZONE_UNKNOWN: ZONE_UNKNOWN,
    Closed.PUBLIC_HOLIDAY: HOLIDAY,
    Closed.WINDOW_HOLIDAY: HOLIDAY,
    Closed.LOCAL_WEEKEND: HOLIDAY,
    Closed.NO_HOURS: WAITING,
    Closed.OUTSIDE_HOURS: WAITING,
}
_RUNNING = {CampaignStatus.ACTIVE}


@dataclass(frozen=True)
class ZoneWait:
    zone: str
    leads: int
    opens_at: dt.datetime | None  # the earliest next opening among its leads, if any


@dataclass
class Breakdown:
    at: dt.datetime
    total: int
    counts: dict[str, int]  # reason key -> leads, every reason present
    waiting: list[ZoneWait] = field(default_factory=list)  # per zone, soonest first
    window_words: str = ""  # the rule in words, "" without a calling window

    @property
    def rows(self) -> list[tuple[Reason, int]]:
        return [(reason, self.counts[reason.key]) for reason in REASONS]


def campaign_breakdown(
    *, campaign: Campaign, user=None, at: dt.datetime | None = None
) -> Breakdown:
    """The breakdown at ``at`` (now), over the campaign's lists ``user`` may see (all of
    them without a user: the API and the workers pass theirs)."""
    at = at or timezone.now()
    links = campaign.list_links.all()
    if user is not None:
        links = team_scope(links, user, "lead_list__team")
    list_ids = list(links.values_list("lead_list_id", flat=True))
    window = campaign.calling_window
    rule = WindowRule.of(window) if window else None
    campaign_reason = _campaign_reason(campaign)
    counts = dict.fromkeys((reason.key for reason in REASONS), 0)
    waits: dict[str, list] = defaultdict(lambda: [0, None])
    judged: dict[tuple[str, str], tuple[Closed | None, dt.datetime | None]] = {}
    for active, status, state, done, zone, key, leads in _groups(campaign, list_ids):
        reason = _lead_reason(active, status, state, done) or campaign_reason
        if reason is None and state == LeadSyncState.FAILED:
            reason = REFUSED
        if reason is None and rule is not None:
            if (zone, key) not in judged:
                judged[(zone, key)] = _judge(rule, at, zone, key)
            closed, opens_at = judged[(zone, key)]
            reason = _WINDOW_REASONS.get(closed)
            if reason is WAITING or reason is HOLIDAY:
                wait = waits[zone or "unknown"]
                wait[0] += leads
                if opens_at and (wait[1] is None or opens_at < wait[1]):
                    wait[1] = opens_at
        if reason is None:
            reason = READY if state == LeadSyncState.PUSHED else QUEUED
        counts[reason.key] += leads
    waiting = sorted(
        (ZoneWait(zone, leads, opens) for zone, (leads, opens) in waits.items()),
        key=lambda wait: (wait.opens_at is None, wait.opens_at or at, wait.zone),
    )
    return Breakdown(
        at=at,
        total=sum(counts.values()),
        counts=counts,
        waiting=waiting,
        window_words=rule.describe() if rule else "",
    )


def _lead_reason(active, status, state, done) -> Reason | None:
    if not active:
        return LIST_INACTIVE
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if state == LeadSyncState.DNC:
        return DNC
    if state == LeadSyncState.REMOVED:
        return REMOVED
    if status == LeadStatus.DONE:
        return DONE
    if done:
        return EXHAUSTED
    return None


def _campaign_reason(campaign: Campaign) -> Reason | None:
    if campaign.status not in _RUNNING:
        return NOT_RUNNING
    account = campaign.vendor_account
    if account is not None and account.health_ok is False:
        return ACCOUNT
    if SyncJob.objects.filter(campaign=campaign, state=JobState.HELD).exists():
        return ACCOUNT
    return None


def _judge(rule: WindowRule, at: dt.datetime, zone: str, key: str):
    country, subdivision = place_of_key(key)
    place = Place(zone=zone, country=country, subdivision=subdivision)
    closed = rule.closed_reason(at, place)
    return closed, (rule.next_opening(at, place) if closed else None)


def _groups(campaign: Campaign, list_ids: list[int]):
    """(list active, status, push state, dialer done, zone, number key, leads) per group."""
    if not list_ids:
        return []
    lead, lead_list = Lead._meta.db_table, LeadList._meta.db_table
    link, push, result = (
        CampaignLeadList._meta.db_table,
        LeadSync._meta.db_table,
        LeadResult._meta.db_table,
    )
    zone = "COALESCE(NULLIF(l.timezone, ''), ll.default_timezone)"
    key = f"SUBSTR(l.phone, 1, {PLACE_KEY_LENGTH})"
    sql = f"""
        SELECT link.active, l.status, push.state, result.done, {zone}, {key}, COUNT(*)
        FROM {lead} l
        JOIN {link} link ON link.lead_list_id = l.lead_list_id AND link.campaign_id = %s
            AND link.lead_list_id IN ({", ".join(["%s"] * len(list_ids))})
        JOIN {lead_list} ll ON ll.id = l.lead_list_id
        LEFT JOIN {push} push ON push.campaign_id = %s AND push.lead_id = l.id
        LEFT JOIN {result} result ON result.campaign_id = %s AND result.lead_id = l.id
        GROUP BY link.active, l.status, push.state, result.done, {zone}, {key}
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, *list_ids, campaign.pk, campaign.pk])
        return cursor.fetchall()
