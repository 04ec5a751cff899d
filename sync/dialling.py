"""Why each of a campaign's leads is or is not on the dialer now (issue #13, point 3).

Every lead in the campaign's lists falls in exactly one row, so the rows add up to the
campaign's total. The first reason that holds wins, in ``REASONS`` order: what is true of
the lead itself (its list inactive, invalid, DNC, removed, finished, attempts exhausted),
then of the campaign (not running) and of its dialer account (failing or held), then the
dialer's refusal, then its calling window (zone unknown, a holiday or weekend where the
lead is, outside the hours), and only then whether it is still queued or on the dialer.

One SQL query groups the leads by what decides their row (``lead_groups``): their list,
status, zone (their own, else their list's), number key (the first five characters, which
fix the country and US state), push state and the dialer's "done"; each group then gets
its own reason from one ``CASE`` (``own_reason_sql``: the single definition of a lead
callable by itself, which ``campaigns.readiness``, the start preview and the selection
read too). The window is then judged once per (zone, number key), never once per lead: a
campaign of a million leads in 20 zones is a few hundred groups.

Which leads are pushed now is the gate's selection alone (``sync.window_gate``: ``Gate``
over the campaign's PENDING push rows, and ``take_back_rows``), which groups push rows by
the same zone and number key (``sync_row_groups``, ``with_place``) and judges them by the
same rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Substr
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
    rule = window_rule(campaign)
    campaign_reason = _campaign_reason(campaign)
    counts = dict.fromkeys((reason.key for reason in REASONS), 0)
    waits: dict[str, list] = defaultdict(lambda: [0, None])
    judge = GroupJudge(rule, at)
    for own, state, zone, key, leads in lead_groups(campaign, visible_list_ids(campaign, user)):
        reason = _OWN_REASONS.get(own) or campaign_reason
        if reason is None and state == LeadSyncState.FAILED:
            reason = REFUSED
        if reason is None and rule is not None:
            closed, opens_at = judge(zone, key)
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


def window_rule(campaign: Campaign) -> WindowRule | None:
    window = campaign.calling_window
    return WindowRule.of(window) if window else None


def visible_list_ids(campaign: Campaign, user=None) -> list[int]:
    """The campaign's lists ``user`` may see (every list without a user)."""
    links = campaign.list_links.all()
    if user is not None:
        links = team_scope(links, user, "lead_list__team")
    return list(links.values_list("lead_list_id", flat=True))


class GroupJudge:
    """The window judged once per (zone, number key): (why closed or None, next opening
    when closed). Without a rule every group is open."""

    def __init__(self, rule: WindowRule | None, at: dt.datetime):
        self.rule, self.at = rule, at
        self._judged: dict[tuple[str, str], tuple[Closed | None, dt.datetime | None]] = {}

    def __call__(self, zone: str, key: str) -> tuple[Closed | None, dt.datetime | None]:
        if self.rule is None:
            return None, None
        if (zone, key) not in self._judged:
            place = self.place(zone, key)
            closed = self.rule.closed_reason(self.at, place)
            opens = self.rule.next_opening(self.at, place) if closed else None
            self._judged[(zone, key)] = (closed, opens)
        return self._judged[(zone, key)]

    @staticmethod
    def place(zone: str, key: str) -> Place:
        return group_place(zone, key)


def group_place(zone: str | None, key: str) -> Place:
    """The place of a group of leads: its zone and the country and region its number key
    fixes."""
    country, subdivision = place_of_key(key)
    return Place(zone=zone or "", country=country, subdivision=subdivision)


def _campaign_reason(campaign: Campaign) -> Reason | None:
    if campaign.status not in _RUNNING:
        return NOT_RUNNING
    account = campaign.vendor_account
    if account is not None and account.health_ok is False:
        return ACCOUNT
    if SyncJob.objects.filter(campaign=campaign, state=JobState.HELD).exists():
        return ACCOUNT
    return None


# --- the SQL: one definition of a lead callable by itself -----------------------------------


def own_reason_sql(
    *, active="link.active", status="l.status", state="push.state", done="result.done"
) -> str:
    """A lead's own reason not to be dialled, first that holds, in ``REASONS`` order; NULL:
    the lead is callable by itself (its list active in the campaign, status New, not
    refused as DNC or removed on the dialer, not finished there). Over the columns of its
    list's link to the campaign (``active``), the lead (``status``), its LeadSync row
    (``state``) and its LeadResult row (``done``)."""
    return f"""CASE
        WHEN NOT {active} THEN '{LIST_INACTIVE.key}'
        WHEN {status} = '{LeadStatus.INVALID}' THEN '{INVALID.key}'
        WHEN {status} = '{LeadStatus.DNC}' THEN '{DNC.key}'
        WHEN {status} = '{LeadStatus.REMOVED}' THEN '{REMOVED.key}'
        WHEN {state} = '{LeadSyncState.DNC}' THEN '{DNC.key}'
        WHEN {state} = '{LeadSyncState.REMOVED}' THEN '{REMOVED.key}'
        WHEN {status} = '{LeadStatus.DONE}' THEN '{DONE.key}'
        WHEN {done} THEN '{EXHAUSTED.key}'
    END"""


OWN_REASON_SQL = own_reason_sql()  # over the aliases l, link, push and result
_OWN_REASONS = {
    reason.key: reason for reason in (LIST_INACTIVE, INVALID, DNC, REMOVED, DONE, EXHAUSTED)
}
# The zone a lead's window is counted in (its own, else its list's; "" when neither) and
# the number key that fixes its country and region.
ZONE_SQL = "COALESCE(NULLIF(l.timezone, ''), ll.default_timezone, '')"
KEY_SQL = f"SUBSTR(l.phone, 1, {PLACE_KEY_LENGTH})"


# --- the grouping of push rows, shared with the gate (sync/window_gate.py) ----------


def sync_row_groups(*, campaign: Campaign, states) -> list[tuple[str, str, str, int]]:
    """(push state, zone, number key, rows) of the campaign's push rows in ``states``."""
    lead, lead_list, push = Lead._meta.db_table, LeadList._meta.db_table, LeadSync._meta.db_table
    states = list(states)
    sql = f"""
        SELECT push.state, {ZONE_SQL}, {KEY_SQL}, COUNT(*)
        FROM {push} push
        JOIN {lead} l ON l.id = push.lead_id
        JOIN {lead_list} ll ON ll.id = l.lead_list_id
        WHERE push.campaign_id = %s AND push.state IN ({", ".join(["%s"] * len(states))})
        GROUP BY push.state, {ZONE_SQL}, {KEY_SQL}
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, *states])
        return cursor.fetchall()


PLACE_SEPARATOR = "|"  # in neither a zone's name nor a number key


def place_label(zone: str | None, key: str) -> str:
    """A group's (zone, number key) as one string, as ``with_place`` computes it in SQL."""
    return f"{zone or ''}{PLACE_SEPARATOR}{key}"


def with_place(rows: QuerySet) -> QuerySet:
    """Push rows (``LeadSync``) annotated with their lead's zone and number key (as
    ``ZONE_SQL`` and ``KEY_SQL`` compute them) in one string, ``_place`` (``place_label``),
    for ``group_condition``."""
    return rows.annotate(
        _place=Concat(
            Coalesce(
                NullIf(F("lead__timezone"), Value("")),
                F("lead__lead_list__default_timezone"),
                Value(""),
            ),
            Value(PLACE_SEPARATOR),
            Substr(F("lead__phone"), 1, PLACE_KEY_LENGTH),
            output_field=CharField(),
        ),
    )


def group_condition(groups) -> Q | None:
    """Rows of ``with_place`` in one of ``groups`` ((zone, key) pairs), None for no group.

    One ``IN`` over the rows' place strings: PostgreSQL computes each row's place once and
    looks it up in a hashed list. (An ``OR`` per zone of ``zone = … AND key IN (…)``
    evaluated the zone's expression once per term, and its estimate made the planner
    start from the leads: 2.5 s for a batch of 3,000 over a million leads, against 25 ms
    walking the campaign's PENDING rows in lead order.)"""
    places = sorted({place_label(zone, key) for zone, key in groups})
    return Q(_place__in=places) if places else None


def in_groups(rows: QuerySet, groups) -> QuerySet:
    condition = group_condition(groups)
    return rows.none() if condition is None else with_place(rows).filter(condition)


def lead_groups(campaign: Campaign, list_ids: list[int], *, callable_only: bool = False):
    """(own reason or None, push state, zone, number key, leads) per group; a group may
    repeat (the caller sums). With ``callable_only``: only leads callable by themselves and
    not refused by the dialer.

    The leads are counted by their own columns first (list, status, zone, number key, push
    state, dialer's done), which the planner can estimate from the statistics on leads
    (``leads`` migration 0012: on PostgreSQL it then aggregates in parallel and in memory);
    the few groups are then joined to their list's link and zone, and given their own
    reason by the one definition (``own_reason_sql``)."""
    if not list_ids:
        return []
    lead, lead_list = Lead._meta.db_table, LeadList._meta.db_table
    link, push, result = (
        CampaignLeadList._meta.db_table,
        LeadSync._meta.db_table,
        LeadResult._meta.db_table,
    )
    own = own_reason_sql(status="g.status", state="g.state", done="g.done")
    sql = f"""
        SELECT {own}, g.state, COALESCE(NULLIF(g.timezone, ''), ll.default_timezone, ''),
            g.pkey, g.leads
        FROM (
            SELECT l.lead_list_id, l.status, l.timezone, {KEY_SQL} AS pkey,
                push.state AS state, result.done AS done, COUNT(*) AS leads
            FROM {lead} l
            LEFT JOIN {push} push ON push.campaign_id = %s AND push.lead_id = l.id
            LEFT JOIN {result} result ON result.campaign_id = %s AND result.lead_id = l.id
            WHERE l.lead_list_id IN ({", ".join(["%s"] * len(list_ids))})
            GROUP BY l.lead_list_id, l.status, l.timezone, {KEY_SQL}, push.state, result.done
        ) g
        JOIN {link} link ON link.lead_list_id = g.lead_list_id AND link.campaign_id = %s
        JOIN {lead_list} ll ON ll.id = g.lead_list_id
    """  # noqa: S608 (SQL from constants, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, campaign.pk, *list_ids, campaign.pk])
        rows = cursor.fetchall()
    if callable_only:
        return [row for row in rows if row[0] is None and row[1] != LeadSyncState.FAILED]
    return rows


def campaigns_with_callable_lead(*, campaign_ids: list[int]) -> set[int]:
    """Of ``campaign_ids``, those with a lead callable by itself in an active list (the
    window aside): one EXISTS per campaign, which stops at the first such lead."""
    if not campaign_ids:
        return set()
    lead, lead_list = Lead._meta.db_table, LeadList._meta.db_table
    link, push, result = (
        CampaignLeadList._meta.db_table,
        LeadSync._meta.db_table,
        LeadResult._meta.db_table,
    )
    campaign_table = Campaign._meta.db_table
    sql = f"""
        SELECT c.id FROM {campaign_table} c
        WHERE c.id IN ({", ".join(["%s"] * len(campaign_ids))}) AND EXISTS (
            SELECT 1 FROM {lead} l
            JOIN {link} link ON link.lead_list_id = l.lead_list_id AND link.campaign_id = c.id
                AND link.active
            JOIN {lead_list} ll ON ll.id = l.lead_list_id
            LEFT JOIN {push} push ON push.campaign_id = c.id AND push.lead_id = l.id
            LEFT JOIN {result} result ON result.campaign_id = c.id AND result.lead_id = l.id
            WHERE l.status = %s AND {OWN_REASON_SQL} IS NULL
        )
    """  # noqa: S608 (SQL from constants, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*campaign_ids, LeadStatus.NEW])
        return {row[0] for row in cursor.fetchall()}
