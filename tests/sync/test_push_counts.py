"""Each campaign's push rows per state, kept as they change (``sync.push_counts``)."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import CampaignStatus
from leads.models import Lead
from leads.services import lead_list_delete
from sync.models import LeadSync, LeadSyncState, PushCounts
from sync.push_counts import push_counts_get, push_counts_recount, push_counts_recount_all
from sync.services.hooks import campaign_sync_enqueue
from sync.services.push import _save_rows, leads_enroll, leads_failed_requeue
from sync.tasks import sync_push_counts_recount
from tests.campaigns.factories import CampaignFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.push_counts_check import push_counts_mismatches


def _campaign_with_rows(count: int, *, prefix: str = "+9198765"):
    lead_list = lead_list_with_leads(count, phone_prefix=prefix)
    campaign = CampaignFactory()
    campaign.list_links.create(lead_list=lead_list)
    leads_enroll(campaign=campaign)
    return campaign, lead_list


def _kept(campaign) -> dict[str, int]:
    return push_counts_get(campaign_id=campaign.pk)


@pytest.mark.django_db
def test_enrolling_counts_new_rows_once():
    campaign, _ = _campaign_with_rows(7)
    assert _kept(campaign) == {"pending": 7}
    assert leads_enroll(campaign=campaign) == 0
    LeadSync.objects.bulk_create(
        [LeadSync(campaign=campaign, lead=lead) for lead in Lead.objects.all()],
        ignore_conflicts=True,
    )
    assert _kept(campaign) == {"pending": 7}


@pytest.mark.django_db
def test_updates_move_rows_between_states():
    campaign, _ = _campaign_with_rows(6)
    rows = LeadSync.objects.filter(campaign=campaign).order_by("lead_id")
    LeadSync.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[:4])).update(
        state=LeadSyncState.FAILED, reason="refused"
    )
    assert _kept(campaign) == {"pending": 2, "failed": 4}
    assert leads_failed_requeue(campaign=campaign) == 4
    assert _kept(campaign) == {"pending": 6}
    LeadSync.objects.filter(campaign=campaign).update(reason="no state change")
    assert _kept(campaign) == {"pending": 6}


@pytest.mark.django_db
def test_the_outcome_upsert_moves_only_rows_whose_state_changed():
    campaign, _ = _campaign_with_rows(3)
    rows = list(LeadSync.objects.filter(campaign=campaign).order_by("lead_id"))
    rows[0].state = LeadSyncState.PUSHED
    rows[1].state = LeadSyncState.DNC
    _save_rows(rows)
    assert _kept(campaign) == {"pending": 1, "pushed": 1, "dnc": 1}


@pytest.mark.django_db
def test_one_row_saved_created_and_deleted():
    campaign, lead_list = _campaign_with_rows(2)
    row = LeadSync.objects.filter(campaign=campaign).first()
    row.state = LeadSyncState.PUSHED
    row.save()
    row.reason = "only the reason"
    row.save(update_fields=["reason"])
    assert _kept(campaign) == {"pending": 1, "pushed": 1}
    extra = Lead.objects.create(lead_list=lead_list, phone="+919999900001")
    LeadSync.objects.create(campaign=campaign, lead=extra, state=LeadSyncState.FAILED)
    assert _kept(campaign) == {"pending": 1, "pushed": 1, "failed": 1}
    row.delete()
    LeadSync.objects.filter(lead=extra).delete()
    assert _kept(campaign) == {"pending": 1}


@pytest.mark.django_db
def test_cascades_from_a_deleted_lead_and_list_move_the_counts():
    campaign, lead_list = _campaign_with_rows(5)
    other_list = lead_list_with_leads(3, phone_prefix="+9198766")
    campaign.list_links.create(lead_list=other_list)
    leads_enroll(campaign=campaign)
    assert _kept(campaign) == {"pending": 8}
    Lead.objects.filter(lead_list=lead_list).first().delete()
    assert _kept(campaign) == {"pending": 7}
    campaign.list_links.filter(lead_list=other_list).delete()
    lead_list_delete(lead_list=other_list)
    assert _kept(campaign) == {"pending": 4}


@pytest.mark.django_db
def test_a_deleted_campaign_takes_its_counts_along():
    campaign, _ = _campaign_with_rows(4)
    campaign.delete()
    assert not PushCounts.objects.exists() and not LeadSync.objects.exists()


@pytest.mark.django_db
def test_an_update_that_computes_the_state_is_refused():
    """``bulk_update`` and ``Case`` updates set many states at once: the counts could not
    follow, so they are refused rather than silently drifting."""
    campaign, _ = _campaign_with_rows(2)
    with pytest.raises(TypeError, match="one state"):
        LeadSync.objects.filter(campaign=campaign).update(
            state=Case(When(pk__gt=0, then=Value("pushed")), default=Value("failed"))
        )
    rows = list(LeadSync.objects.filter(campaign=campaign))
    with pytest.raises(TypeError), transaction.atomic():
        LeadSync.objects.bulk_update(rows, ["state"])


@pytest.mark.django_db
def test_the_recount_corrects_and_logs_drift(caplog):
    campaign, _ = _campaign_with_rows(4)
    with connection.cursor() as cursor:  # a write that bypasses the counts (raw SQL)
        cursor.execute("UPDATE sync_leadsync SET state = 'failed'")
    assert push_counts_mismatches() == {campaign.pk: ({"pending": 4}, {"failed": 4})}
    with caplog.at_level(logging.WARNING, logger="sync.push_counts"):
        assert sync_push_counts_recount() == 1
    assert push_counts_recount(campaign_id=campaign.pk) == {}
    assert _kept(campaign) == {"failed": 4}
    assert "drifted" in caplog.text and "'pending': 4" in caplog.text
    assert PushCounts.objects.get(campaign=campaign).recounted_at is not None
    assert push_counts_recount_all() == 0


def test_beat_runs_the_recount():
    from django.conf import settings

    from dialer_console.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sync.tasks.sync_push_counts_recount" in tasks
    assert app.tasks["sync.tasks.sync_push_counts_recount"].name == sync_push_counts_recount.name


@pytest.mark.django_db
def test_the_recount_makes_missing_counts_and_empties_stale_ones():
    campaign, _ = _campaign_with_rows(3)
    PushCounts.objects.all().delete()
    empty = CampaignFactory()
    PushCounts.objects.create(campaign=empty, by_state={"pushed": 9})
    assert push_counts_recount_all() == 2
    assert _kept(campaign) == {"pending": 3} and _kept(empty) == {}


def test_a_real_push_keeps_its_counts(emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(9), parameters={"limit": 20})
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert _kept(campaign) == {"pushed": 9}
    assert push_counts_mismatches() == {}


PANEL_READERS = {
    "panel poll": lambda pk: (reverse("sync:campaign-panel", args=[pk]) + "?poll=1", True),
    "campaign detail": lambda pk: (reverse("campaigns:detail", args=[pk]), False),
    "sync API": lambda pk: (f"/api/v1/sync/campaigns/{pk}/", False),
}


def _queries(client, url: str, htmx: bool) -> list[str]:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code in (200, 286)
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", list(PANEL_READERS))
def test_the_panel_costs_the_same_at_5_and_300_push_rows(supervisor_client, reader):
    small, _ = _campaign_with_rows(5, prefix="+9198761")
    big, _ = _campaign_with_rows(300, prefix="+9198762")
    LeadSync.objects.filter(campaign=big, lead_id__lt=_middle_lead_id(big)).update(state="pushed")
    for campaign in (small, big):
        campaign.status = CampaignStatus.ACTIVE
        campaign.save(update_fields=["status"])
    small_queries = _queries(supervisor_client, *PANEL_READERS[reader](small.pk))
    big_queries = _queries(supervisor_client, *PANEL_READERS[reader](big.pk))
    assert len(small_queries) == len(big_queries)
    # Push rows are read only for the few still unconfirmed (a partial index), capped,
    # and by the readiness probe, an EXISTS that stops at the first callable lead.
    readiness_probe = "FROM campaigns_campaign c"
    assert all(
        ("Sent, not yet confirmed" in sql and "LIMIT 10001" in sql)
        or (readiness_probe in sql and "EXISTS (" in sql)
        for sql in big_queries
        if "sync_leadsync" in sql
    )


def _middle_lead_id(campaign) -> int:
    """The middle lead id of the campaign's rows: half of them become pushed."""
    ids = sorted(LeadSync.objects.filter(campaign=campaign).values_list("lead_id", flat=True))
    return ids[len(ids) // 2]


@pytest.mark.django_db(transaction=True)
def test_racing_updates_of_overlapping_rows_keep_the_counts(require_postgres):
    """Two transactions move overlapping rows out of PENDING at once. Without the counts
    lock the second would count rows the first already moved (its UPDATE re-checks them
    and skips them), and the counts would drift."""
    campaign, _ = _campaign_with_rows(40)
    ids = sorted(LeadSync.objects.filter(campaign=campaign).values_list("pk", flat=True))
    barrier = threading.Barrier(4)
    errors = []

    def move(rows, state):
        barrier.wait()
        try:
            for _ in range(5):
                LeadSync.objects.filter(pk__in=rows, state=LeadSyncState.PENDING).update(
                    state=state
                )
                LeadSync.objects.filter(pk__in=rows).update(state=LeadSyncState.PENDING)
        except Exception as exc:  # a deadlock would land here
            errors.append(exc)
        finally:
            connection.close()

    work = [(ids[:25], "sending"), (ids[10:], "failed"), (ids[5:30], "dnc"), (ids, "pushed")]
    threads = [threading.Thread(target=move, args=args) for args in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert push_counts_mismatches() == {}


@pytest.mark.django_db
def test_the_breakdowns_invalid_leads_come_from_the_lists_kept_counts():
    from leads.models import LeadStatus
    from leads.services import lead_list_counts_refresh
    from sync.selectors import campaign_breakdown

    campaign, lead_list = _campaign_with_rows(4)
    inactive = lead_list_with_leads(3, phone_prefix="+9198768")
    campaign.list_links.create(lead_list=inactive, active=False)
    for a_list in (lead_list, inactive):
        Lead.objects.filter(lead_list=a_list, pk__in=a_list.leads.values("pk")[:2]).update(
            status=LeadStatus.INVALID
        )
        lead_list_counts_refresh(lead_list=a_list)
    breakdown = campaign_breakdown(campaign=campaign)
    assert breakdown.invalid == 2  # the inactive list's invalid leads are not the campaign's
    assert breakdown.not_pushed == 4
