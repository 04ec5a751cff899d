"""The page benchmark's data set (issue #18), built by set-based SQL on PostgreSQL.

At ``leads=5_000_000``: 1,000 campaigns; 200 lead lists from 1M down to a few hundred
leads, inserted in interleaved rounds so a list created late starts at a high id; ~4.4M
push rows (~990k on the 1M list's campaign); 500k DNC entries; 300k sync jobs and 300k
vendor calls. Every figure scales with ``leads``.

The small tables are written through the ORM; the big ones by ``INSERT … SELECT`` over
``generate_series``, with their secondary indexes and foreign keys dropped during the load
and put back from their own definitions afterwards (then ANALYZE). Columns the build does
not set get the model field's default, so a field added later needs no change here unless
it is required and has no default (then the build stops and names it).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

LISTS = 200
CAMPAIGNS = 1_000
ROUNDS = 50
BIG_LIST_SHARE = 0.2  # the 1M list at 5M leads
SMALLEST_TO_LARGEST = 1 / 400  # the rest go from ~120k down to ~300 at 5M
AREA_CODES = ("212", "312", "713", "602", "215", "210", "214", "415", "617", "305", "404", "206")
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway user of a throwaway database


@dataclass
class DataSet:
    supervisor: str
    big_campaign: int
    big_list: int
    small_campaign: int  # the campaign whose list is nearest to 1,000 leads
    late_list: int  # the list whose first lead has the highest id
    call_account: int  # the account holding half of the vendor calls
    phone_prefix: str


def list_sizes(leads: int) -> list[int]:
    """One list of ``BIG_LIST_SHARE`` of the leads, the rest geometric down to ~1/400 of
    the largest of them, summing exactly to ``leads``."""
    big = round(leads * BIG_LIST_SHARE)
    ratio = SMALLEST_TO_LARGEST ** (1 / (LISTS - 2))
    weights = [ratio**i for i in range(LISTS - 1)]
    rest = leads - big
    sizes = [max(1, math.floor(rest * w / sum(weights))) for w in weights]
    sizes[0] += rest - sum(sizes)
    return [big, *sizes]


def _column_sql(model, overrides: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Columns, their SELECT expressions and parameters for an ``INSERT … SELECT``: the
    given SQL where set, else the field's default."""
    from django.db import connection

    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in overrides:
            expressions.append(overrides[field.column])
        elif field.has_default():
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append("now()")
        elif field.null:
            expressions.append("NULL")
        elif field.blank and field.get_internal_type() in ("CharField", "TextField"):
            expressions.append("''")
        else:
            raise RuntimeError(f"bench/dataset.py sets no value for {model.__name__}.{field.name}")
    return columns, expressions, params


def insert_select(cursor, model, overrides: dict[str, str], tail: str, params=()) -> int:
    columns, expressions, defaults = _column_sql(model, overrides)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} {tail}",
        [*defaults, *params],
    )
    return cursor.rowcount


class _LoadWithoutIndexes:
    """Drop a table's secondary indexes and foreign keys for a bulk load; put them back
    from their saved definitions on exit (building an index once beats 5M inserts)."""

    def __init__(self, cursor, tables: list[str]):
        self.cursor, self.tables = cursor, tables

    def __enter__(self):
        c = self.cursor
        # Django's keys are deferred: checks still pending in this transaction (a caller's
        # own rows) would forbid the ALTER TABLEs below.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')",
            [self.tables],
        )
        self.constraints = c.fetchall()
        c.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [self.tables],
        )
        self.indexes = c.fetchall()
        for table, name, _ in self.constraints:
            c.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in self.indexes:
            c.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc):
        c = self.cursor
        c.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in self.indexes:
            c.execute(definition)
        for table, name, definition in self.constraints:
            c.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        return False


def _small_rows(leads: int):
    from django.utils import timezone

    from accounts.models import Team
    from accounts.roles import Role
    from accounts.services import user_create_with_role
    from campaigns.models import Campaign, CampaignLeadList
    from leads.models import LeadList
    from sync.models import CampaignRemote
    from vendors import sandbox
    from vendors.services import vendor_account_save

    teams = [Team.objects.create(name=f"Bench team {n}") for n in range(5)]
    user_create_with_role(
        username="bench",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        is_staff=True,
        is_superuser=True,
    )
    accounts = [
        vendor_account_save(
            account=None,
            name=f"Bench {kind}",
            kind=kind,
            base_url=f"http://127.0.0.1:9/sandbox/{kind}",
            credentials=sandbox.sandbox_credentials(kind),
        )
        for kind in ("acefone", "voicenter", "webitel", "jtel", "ozonetel")
    ]
    lists = LeadList.objects.bulk_create(
        LeadList(name=f"Bench list {n:03d}", team=teams[n % len(teams)]) for n in range(LISTS)
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            name=f"Bench campaign {n:04d}",
            team=teams[n % len(teams)],
            vendor_account=accounts[n % len(accounts)],
            status="active" if n < LISTS else "draft",
        )
        for n in range(CAMPAIGNS)
    )
    CampaignLeadList.objects.bulk_create(
        CampaignLeadList(campaign=campaigns[n], lead_list=lists[n]) for n in range(LISTS)
    )
    CampaignRemote.objects.bulk_create(
        CampaignRemote(
            campaign=campaigns[n],
            account=campaigns[n].vendor_account,
            remote_ref={"id": f"bench-{n}"},
            state="in_sync",
            last_synced_at=timezone.now(),
        )
        for n in range(LISTS)
    )
    return teams, accounts, lists, campaigns


def _leads(cursor, lists, sizes: list[int]) -> None:
    """Round r inserts each started list's next slice; list i starts in round
    i * ROUNDS / LISTS, so late lists begin at high ids."""
    from leads.models import Lead

    cursor.execute(
        "CREATE TEMP TABLE bench_plan (list_id bigint, idx int, size int, first_round int)"
        " ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO bench_plan VALUES (%s, %s, %s, %s)",
        [(ll.pk, n, sizes[n], n * ROUNDS // LISTS) for n, ll in enumerate(lists)],
    )
    areas = "ARRAY[" + ",".join(f"'{a}'" for a in AREA_CODES) + "]"
    overrides = {
        "lead_list_id": "p.list_id",
        "phone": (
            f"'+1' || ({areas})[1 + (g.n / 7) %% 12] || lpad(((p.idx * 7919 + g.n) %% 10000000)"
            "::text, 7, '0')"
        ),
        "first_name": "'Lead ' || g.n",
        "last_name": "'Bench'",
        "timezone": "'America/New_York'",
        "status": (
            "CASE WHEN g.n %% 100 < 90 THEN 'new' WHEN g.n %% 100 < 95 THEN 'done'"
            " WHEN g.n %% 100 < 98 THEN 'dnc' WHEN g.n %% 100 < 99 THEN 'invalid'"
            " ELSE 'removed' END"
        ),
        "source_row": "g.n + 1",
    }
    per_round = "ceil(p.size::numeric / (%s - p.first_round))::int"
    for round_ in range(ROUNDS):
        insert_select(
            cursor,
            Lead,
            overrides,
            f"FROM bench_plan p CROSS JOIN LATERAL generate_series("
            f"  (%s - p.first_round) * {per_round},"
            f"  least(p.size, (%s - p.first_round + 1) * {per_round}) - 1) AS g(n)"
            f" WHERE p.first_round <= %s ORDER BY p.list_id, g.n",
            [round_, ROUNDS, round_, ROUNDS, round_],
        )


def _push_rows(cursor, campaigns) -> None:
    """Every lead still in a list of campaign 0 (the big list), and 87% of the others'."""
    from sync.models import LeadSync

    insert_select(
        cursor,
        LeadSync,
        {
            "campaign_id": "cl.campaign_id",
            "lead_id": "l.id",
            "state": (
                "CASE WHEN l.id %% 100 < 80 THEN 'pushed' WHEN l.id %% 100 < 90 THEN 'pending'"
                " WHEN l.id %% 100 < 95 THEN 'failed' ELSE 'dnc' END"
            ),
            "remote_id": "CASE WHEN l.id %% 100 < 80 THEN 'r' || l.id ELSE '' END",
            "pushed_at": "CASE WHEN l.id %% 100 < 80 THEN now() END",
        },
        "FROM campaigns_campaignleadlist cl JOIN leads_lead l ON l.lead_list_id = cl.lead_list_id"
        " WHERE l.status <> 'removed' AND (cl.campaign_id = %s OR l.id %% 100 < 87)"
        " ORDER BY cl.campaign_id, l.id",
        [campaigns[0].pk],
    )


def _dnc(cursor, lists, count: int) -> None:
    from leads.models import DncEntry

    first, last = lists[0].pk, lists[-1].pk
    insert_select(
        cursor,
        DncEntry,
        {
            "phone": "'+1' || (800 + g.n %% 100) || lpad((g.n / 100)::text, 7, '0')",
            "scope": "CASE WHEN g.n %% 10 = 0 THEN 'list' ELSE 'everywhere' END",
            "lead_list_id": (
                f"CASE WHEN g.n %% 10 = 0 THEN {first} + (g.n / 10) %% {last - first + 1} END"
            ),
            "source": "'bench'",
        },
        "FROM generate_series(0, %s - 1) AS g(n)",
        [count],
    )


def _jobs_and_calls(cursor, campaigns, accounts, count: int) -> None:
    from sync.models import SyncJob
    from vendors.models import VendorCall

    c0, cn = campaigns[0].pk, len(campaigns)
    a0, an = accounts[0].pk, len(accounts)
    insert_select(
        cursor,
        SyncJob,
        {
            "account_id": f"{a0} + g.n %% {an}",
            # campaign n has account n % 5 (see _small_rows), so this keeps them paired
            "campaign_id": f"{c0} + (g.n %% {cn})",
            "operation": "(ARRAY['campaign_sync','lead_remove','lead_call_result',"
            "'lead_terminate','pending_refresh'])[1 + g.n %% 5]",
            "state": "CASE WHEN g.n %% 100 < 90 THEN 'done' WHEN g.n %% 100 < 95 THEN 'failed'"
            " WHEN g.n %% 100 < 98 THEN 'running' ELSE 'held' END",
            "reason": "'bench'",
            "attempts": "CASE WHEN g.n %% 100 BETWEEN 90 AND 94 THEN 3 ELSE 0 END",
            "not_before": "now() - g.n * interval '1 second'",
            "finished_at": "CASE WHEN g.n %% 100 < 95 THEN now() - g.n * interval '1 second' END",
            "last_error": "CASE WHEN g.n %% 100 BETWEEN 90 AND 94 THEN 'HTTP 500' ELSE '' END",
            "needs_attention": "g.n %% 100 BETWEEN 90 AND 94",
            "created_at": "now() - g.n * interval '1 second'",
            "updated_at": "now() - g.n * interval '1 second'",
        },
        "FROM generate_series(0, %s - 1) AS g(n)",
        [count],
    )
    insert_select(
        cursor,
        VendorCall,
        {
            # half of all calls on the first account, the rest spread over all five
            "account_id": f"CASE WHEN g.n %% 2 = 0 THEN {a0} ELSE {a0} + g.n %% {an} END",
            "vendor_kind": "'acefone'",
            "operation": "(ARRAY['campaign_create','campaign_update','lead_push_bulk',"
            "'pending_calls','lead_remove'])[1 + g.n %% 5]",
            "method": "'POST'",
            "url": "'http://127.0.0.1:9/sandbox/acefone/v1/x/' || g.n",
            "status_code": "CASE WHEN g.n %% 50 = 0 THEN 500 ELSE 200 END",
            "duration_ms": "20 + g.n %% 200",
            "at": "now() - g.n * interval '1 second'",
        },
        "FROM generate_series(0, %s - 1) AS g(n)",
        [count],
    )
    # The vendor_kind of a call is its account's kind.
    cursor.execute(
        "UPDATE vendors_vendorcall c SET vendor_kind = a.kind FROM vendors_vendoraccount a"
        " WHERE a.id = c.account_id AND a.kind <> 'acefone'"
    )


def kept_counts_refresh() -> None:
    """The application's own recounts, so the kept counts are what the app would keep:
    each lead list's, and each campaign's push rows per state (``sync.push_counts``)."""
    from leads.models import LeadList
    from leads.services.lead_lists import lead_list_counts_refresh
    from sync.push_counts import push_counts_recount_all

    for lead_list in LeadList.objects.all():
        lead_list_counts_refresh(lead_list=lead_list)
    push_counts_recount_all()


def kept_counts_check(cursor) -> list[str]:
    """The kept counts against the rows, each by one independent GROUP BY: the lead
    lists', then the campaigns' push counts."""
    cursor.execute(
        "SELECT ll.id, ll.total_count, ll.valid_count, ll.dnc_count, ll.invalid_count,"
        " count(l.id) FILTER (WHERE l.status <> 'removed'),"
        " count(l.id) FILTER (WHERE l.status = 'new'),"
        " count(l.id) FILTER (WHERE l.status = 'dnc'),"
        " count(l.id) FILTER (WHERE l.status = 'invalid')"
        " FROM leads_leadlist ll LEFT JOIN leads_lead l ON l.lead_list_id = ll.id"
        " GROUP BY ll.id"
    )
    wrong = []
    for list_id, *kept_and_counted in cursor.fetchall():
        kept, counted = kept_and_counted[:4], kept_and_counted[4:]
        if kept != counted:
            wrong.append(f"lead list {list_id}: kept {kept}, rows {counted}")
    cursor.execute(
        "SELECT campaign_id, state, count(*) FROM sync_leadsync GROUP BY campaign_id, state"
    )
    real: dict[int, dict[str, int]] = {}
    for campaign_id, state, n in cursor.fetchall():
        real.setdefault(campaign_id, {})[state] = n
    cursor.execute("SELECT campaign_id, by_state FROM sync_pushcounts")
    kept_push = {}
    for campaign_id, by_state in cursor.fetchall():
        if isinstance(by_state, str):  # Django's connection leaves jsonb undecoded
            by_state = json.loads(by_state)
        kept_push[campaign_id] = {state: n for state, n in (by_state or {}).items() if n}
    for campaign_id in set(real) | set(kept_push):
        if real.get(campaign_id, {}) != kept_push.get(campaign_id, {}):
            wrong.append(f"campaign {campaign_id}: push counts kept {kept_push.get(campaign_id)}")
    return wrong


def build(*, leads: int, say) -> None:
    from django.db import connection, transaction

    from campaigns.models import Campaign

    sizes = list_sizes(leads)
    started = time.perf_counter()
    with transaction.atomic():
        teams, accounts, lists, campaigns = _small_rows(leads)
        campaigns = list(Campaign.objects.order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        big_tables = ["leads_lead", "sync_leadsync", "leads_dncentry", "sync_syncjob"]
        big_tables.append("vendors_vendorcall")
        with transaction.atomic(), _LoadWithoutIndexes(cursor, big_tables):
            _leads(cursor, lists, sizes)
            say(f"  leads: {leads:,} in {time.perf_counter() - started:.0f} s")
            _push_rows(cursor, campaigns)
            _dnc(cursor, lists, leads // 10)
            _jobs_and_calls(cursor, campaigns, accounts, leads * 3 // 50)
            say(f"  rows written at {time.perf_counter() - started:.0f} s; building indexes")
        say(f"  indexes and keys at {time.perf_counter() - started:.0f} s")
        for table in big_tables:
            cursor.execute(f"ANALYZE {table}")
    kept_counts_refresh()
    say(f"  built in {time.perf_counter() - started:.0f} s")


def describe() -> DataSet:
    from django.db import connection

    from campaigns.models import CampaignLeadList
    from leads.models import LeadList
    from vendors.models import VendorAccount

    links = list(CampaignLeadList.objects.select_related("lead_list").order_by("campaign_id"))
    big = max(links, key=lambda link: link.lead_list.total_count)
    small = min(links, key=lambda link: abs(link.lead_list.total_count - 1_000))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lead_list_id FROM leads_lead GROUP BY lead_list_id ORDER BY min(id) DESC"
            " LIMIT 1"
        )
        late = cursor.fetchone()[0]
    return DataSet(
        supervisor="bench",
        big_campaign=big.campaign_id,
        big_list=big.lead_list_id,
        small_campaign=small.campaign_id,
        late_list=LeadList.objects.get(pk=late).pk,
        call_account=VendorAccount.objects.order_by("id").first().pk,
        phone_prefix=f"+1{AREA_CODES[0]}555",
    )
