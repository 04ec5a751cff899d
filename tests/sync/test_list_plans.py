"""PostgreSQL's plans for the sync jobs page and API: thousands of jobs are read through
the (updated_at, id) index in the page's order, never sorted or counted whole.

Run on PostgreSQL (the CI does): DATABASE_URL=postgres://... python3 dev.py test -m postgres
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign
from dialer_console.keyset import keyset_rows
from sync import selectors
from sync.models import Operation, SyncJob
from tests.leads.test_list_plans import _nodes, _plan
from vendors.models import VendorAccount

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JOBS = 5000


@pytest.fixture
def many_jobs(require_postgres):
    account = VendorAccount.objects.create(name="Acefone", kind="acefone")
    campaigns = [Campaign.objects.create(name=f"C{n}") for n in range(20)]
    now = timezone.now()
    SyncJob.objects.bulk_create(
        SyncJob(
            account=account,
            campaign=campaigns[n % 20],
            operation=Operation.PENDING_REFRESH if n % 3 == 0 else Operation.CAMPAIGN_SYNC,
            state=("done", "done", "done", "failed", "pending")[n % 5],
            not_before=now,
        )
        for n in range(JOBS)
    )
    # Spread the change times, as a busy console's are.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sync_syncjob SET updated_at = %s - (id * interval '1 second')", [now]
        )
        cursor.execute("ANALYZE sync_syncjob")
    return campaigns


def test_the_jobs_page_reads_the_changed_order_from_its_index(many_jobs, supervisor):
    jobs = selectors.sync_job_list(user=supervisor)
    plan = _plan(jobs.order_by("-updated_at", "-id")[:51])
    kinds = {node["Node Type"] for node in _nodes(plan)}
    assert not {"Sort", "Incremental Sort", "Seq Scan"} & kinds, kinds
    assert "syncjob_updated_id" in {node.get("Index Name") for node in _nodes(plan)}


def test_the_pages_follow_the_index_and_match_the_order(many_jobs, supervisor):
    jobs = selectors.sync_job_list(user=supervisor)
    first = keyset_rows(jobs, sorting=selectors.SYNC_JOB_SORTING, size=50)
    second = keyset_rows(jobs, sorting=selectors.SYNC_JOB_SORTING, after=first.next_cursor, size=50)
    expected = list(jobs.order_by("-updated_at", "-id")[:100])
    assert first.rows + second.rows == expected


def test_state_counts_stop_at_the_cap(many_jobs, supervisor):
    counts = selectors.sync_job_state_counts(jobs=selectors.sync_job_list(user=supervisor))
    routine_left_out = [n for n in range(JOBS) if n % 3]
    done = sum(1 for n in routine_left_out if n % 5 < 3)
    pending = sum(1 for n in routine_left_out if n % 5 == 4)
    assert done > 1000 and str(counts["done"]) == "1,000+" and counts["done"].capped
    assert pending < 1000 and counts["pending"].value == pending
    assert str(counts["running"]) == "0"
