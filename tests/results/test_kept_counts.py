"""The kept result counts against the rows they count: after random sequences of every
kind of write, each figure of the results page read from the kept counts equals the same
figure counted from the rows and a direct COUNT; the recount finds and fixes drift."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign, CampaignLeadList
from leads.models import Lead
from leads.services.lead_lists import lead_list_counts_refresh
from results.figures import DIALLED
from results.kept_counts import (
    result_counts_kept,
    result_counts_moving,
    result_counts_real,
    result_counts_recount,
    result_counts_recount_all,
)
from results.models import (
    CallAttempt,
    LeadResult,
    ResultCount,
    ResultCountsState,
    ResultSource,
)
from results.selectors import ResultsFilter, campaign_results, results_by_campaign
from results.sources import NOT_COUNTED
from tests.accounts.factories import TeamFactory
from tests.campaigns.factories import disposition_list_with_codes
from tests.leads.factories import LeadListFactory

LEADS = 6
CODES = ["", "SALE", "NA", "CB", "DNC"]
NOW = timezone.now().replace(minute=30, second=0, microsecond=0)

FIELDS = ("attempts", "last_attempt_at", "last_result_code", "agent", "done")
values = st.fixed_dictionaries(
    {
        "attempts": st.sampled_from([None, 0, 1, 2, 3]),
        "last_attempt_at": st.sampled_from([None, *(NOW - timedelta(days=d) for d in range(4))]),
        "last_result_code": st.sampled_from(CODES),
        "agent": st.sampled_from(["", "asha", "ben"]),
        "done": st.sampled_from([None, True, False]),
    }
)
lead = st.integers(0, LEADS - 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("bulk_upsert"), st.lists(st.tuples(lead, values), max_size=4)),
        st.tuples(st.just("save"), lead, values),
        st.tuples(st.just("update"), st.lists(lead, max_size=3), values),
        st.tuples(st.just("delete_result"), lead),
        st.tuples(st.just("attempt"), lead, st.integers(0, 3), st.sampled_from(CODES)),
        st.tuples(st.just("delete_attempts"), lead),
        st.tuples(st.just("move"), st.lists(lead, max_size=3)),
        st.tuples(st.just("delete_lead"), lead),
    ),
    max_size=10,
)


def _world():
    team = TeamFactory()
    campaign = Campaign.objects.create(
        name="Kept", team=team, disposition_list=disposition_list_with_codes(f"Outcomes {team.pk}")
    )
    lists = [LeadListFactory(team=team) for _ in range(2)]
    for position, lead_list in enumerate(lists):
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, position=position)
    leads = Lead.objects.bulk_create(
        Lead(lead_list=lists[n % 2], phone=f"+1212555{n:04d}") for n in range(LEADS)
    )
    return campaign, lists, leads


def _apply(operation, campaign, lists, leads) -> None:
    kind, *args = operation
    alive = {row.pk for row in Lead.objects.filter(pk__in=[row.pk for row in leads])}
    pick = [row for row in leads if row.pk in alive]
    if not pick:
        return

    def the(index):
        return pick[index % len(pick)]

    if kind == "bulk_upsert":
        rows = {the(index).pk: fields for index, fields in args[0]}
        existing = {r.lead_id: r for r in LeadResult.objects.filter(campaign=campaign)}
        created, updated = [], []
        for lead_id, fields in rows.items():
            row = existing.get(lead_id) or LeadResult(
                campaign=campaign, lead_id=lead_id, source=ResultSource.PULL, reported_at=NOW
            )
            for name, value in fields.items():
                setattr(row, name, value)
            (updated if row.pk else created).append(row)
        LeadResult.objects.bulk_create(created)
        LeadResult.objects.bulk_update(updated, list(FIELDS))
    elif kind == "save":
        row = LeadResult.objects.filter(campaign=campaign, lead=the(args[0])).first()
        row = row or LeadResult(
            campaign=campaign, lead=the(args[0]), source=ResultSource.PULL, reported_at=NOW
        )
        for name, value in args[1].items():
            setattr(row, name, value)
        row.save()
    elif kind == "update":
        ids = [the(index).pk for index in args[0]]
        LeadResult.objects.filter(campaign=campaign, lead_id__in=ids).update(**args[1])
    elif kind == "delete_result":
        LeadResult.objects.filter(campaign=campaign, lead=the(args[0])).delete()
    elif kind == "attempt":
        index, days, code = args
        CallAttempt.objects.bulk_create(
            [
                CallAttempt(
                    campaign=campaign, lead=the(index), attempted_at=NOW - timedelta(days=days),
                    result_code=code, source=ResultSource.PULL, vendor_event_id=f"{index}@{days}",
                )
            ],
            ignore_conflicts=True,
        )  # fmt: skip
    elif kind == "delete_attempts":
        CallAttempt.objects.filter(campaign=campaign, lead=the(args[0])).delete()
    elif kind == "move":
        ids = [the(index).pk for index in args[0]]
        for lead_id in ids:
            target = (
                lists[0] if Lead.objects.get(pk=lead_id).lead_list_id == lists[1].pk else lists[1]
            )
            with result_counts_moving(lead_ids=[lead_id]):
                Lead.objects.filter(pk=lead_id).update(lead_list=target)
    elif kind == "delete_lead":
        the(args[0]).delete()


def _assert_figures_agree(campaign, lists, user) -> None:
    assert result_counts_kept(campaign_id=campaign.pk) == result_counts_real(
        campaign_id=campaign.pk
    )
    for lead_list in lists:
        lead_list_counts_refresh(lead_list=lead_list)
    today = timezone.localdate()
    for filters in (
        ResultsFilter(),
        ResultsFilter(since=today - timedelta(days=1)),
        ResultsFilter(until=today - timedelta(days=1)),
        ResultsFilter(since=today - timedelta(days=2), until=today, lead_list_id=lists[1].pk),
    ):
        kept = campaign_results(campaign=campaign, user=user, filters=filters)
        rows = campaign_results(campaign=campaign, user=user, filters=filters, from_rows=True)
        assert kept.counted_from_rows == ""
        for name in ("penetration", "outcomes", "per_list", "per_agent", "histogram"):
            assert getattr(kept, name) == getattr(rows, name), name
        assert (kept.chart.segments, kept.chart.total) == (rows.chart.segments, rows.chart.total)
        in_lists = [item.pk for item in lists if filters.lead_list_id in (None, item.pk)]
        dialled = LeadResult.objects.filter(
            DIALLED, campaign=campaign, lead__lead_list__in=in_lists
        )
        assert kept.penetration.dialled == dialled.count()
        assert kept.penetration.leads == Lead.objects.filter(lead_list__in=in_lists).count()
        assert (
            kept.penetration.done + kept.penetration.exhausted == dialled.filter(done=True).count()
        )
        if filters.since:
            dialled = dialled.filter(last_attempt_at__date__gte=filters.since)
        if filters.until:
            dialled = dialled.filter(last_attempt_at__date__lte=filters.until)
        assert kept.outcomes_total == dialled.count()
        assert sum(count for _, count in kept.histogram) == dialled.count()
    assert sum(row.penetration.dialled for row in results_by_campaign(user=user)) == (
        LeadResult.objects.filter(DIALLED, campaign=campaign).count()
    )


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_every_figure_equals_a_count_of_the_rows_after_random_writes(supervisor, steps):
    with transaction.atomic():
        campaign, lists, leads = _world()
        for step in steps:
            _apply(step, campaign, lists, leads)
        _assert_figures_agree(campaign, lists, supervisor)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_deleting_the_campaign_or_a_list_takes_their_counts_with_them(supervisor):
    campaign, lists, leads = _world()
    for row in leads:
        LeadResult.objects.create(
            campaign=campaign, lead=row, attempts=1, last_attempt_at=NOW,
            source=ResultSource.PULL, reported_at=NOW,
        )  # fmt: skip
    assert ResultCount.objects.filter(lead_list=lists[0]).exists()
    CampaignLeadList.objects.filter(lead_list=lists[0]).delete()  # a linked list is protected
    lists[0].delete()
    assert not ResultCount.objects.filter(lead_list=lists[0].pk).exists()
    assert result_counts_kept(campaign_id=campaign.pk) == result_counts_real(
        campaign_id=campaign.pk
    )
    campaign.delete()
    assert not ResultCount.objects.exists() and not ResultCountsState.objects.exists()


@pytest.mark.django_db
def test_the_recount_finds_drift_fixes_it_and_says_so(supervisor, caplog):
    campaign, lists, leads = _world()
    LeadResult.objects.create(
        campaign=campaign, lead=leads[0], attempts=2, last_attempt_at=NOW, done=True,
        last_result_code="SALE", source=ResultSource.PULL, reported_at=NOW,
    )  # fmt: skip
    assert result_counts_recount(campaign_id=campaign.pk) == {}
    with connection.cursor() as cursor:  # a write that bypasses the application
        cursor.execute(
            "UPDATE results_leadresult SET last_result_code = 'NA' WHERE lead_id = %s",
            [leads[0].pk],
        )
    assert result_counts_kept(campaign_id=campaign.pk) != result_counts_real(
        campaign_id=campaign.pk
    )
    drift = result_counts_recount(campaign_id=campaign.pk)
    assert drift[f"state {lists[0].pk}  yes SALE"] == 1
    assert drift[f"state {lists[0].pk}  yes NA"] == -1
    assert "drifted" in caplog.text
    assert ResultCountsState.objects.get(campaign=campaign).drift == drift
    assert result_counts_kept(campaign_id=campaign.pk) == result_counts_real(
        campaign_id=campaign.pk
    )
    assert result_counts_recount_all() == {}


@pytest.mark.django_db
def test_the_command_reports_drift(supervisor, capsys):
    campaign, _, leads = _world()
    LeadResult.objects.create(
        campaign=campaign, lead=leads[0], attempts=1, last_attempt_at=NOW,
        source=ResultSource.PULL, reported_at=NOW,
    )  # fmt: skip
    ResultCount.objects.filter(campaign=campaign).update(n=7)
    call_command("recount_results")
    assert f"campaign {campaign.pk}: 3 group(s) had drifted" in capsys.readouterr().out
    call_command("recount_results", campaign=campaign.pk)
    assert "agreed with the rows" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_campaign_not_counted_yet_is_counted_from_its_rows_and_says_so(client, supervisor):
    campaign, lists, leads = _world()
    LeadResult.objects.create(
        campaign=campaign, lead=leads[0], attempts=1, last_attempt_at=NOW,
        source=ResultSource.PULL, reported_at=NOW,
    )  # fmt: skip
    ResultCountsState.objects.filter(campaign=campaign).delete()  # as before an upgrade
    ResultCount.objects.filter(campaign=campaign).delete()
    results = campaign_results(campaign=campaign, user=supervisor, filters=ResultsFilter())
    assert results.counted_from_rows == NOT_COUNTED and results.penetration.dialled == 1
    client.force_login(supervisor)
    page = client.get(f"/campaigns/{campaign.pk}/results/")
    assert "Counted from the result rows" in page.content.decode()
    result_counts_recount(campaign_id=campaign.pk)
    page = client.get(f"/campaigns/{campaign.pk}/results/")
    assert "Counted from the result rows" not in page.content.decode()
    assert page.context["results"].penetration.dialled == 1


@pytest.mark.django_db
def test_a_page_in_another_time_zone_falls_back_to_the_rows(supervisor):
    campaign, _, leads = _world()
    LeadResult.objects.create(
        campaign=campaign, lead=leads[0], attempts=1, last_attempt_at=NOW,
        source=ResultSource.PULL, reported_at=NOW,
    )  # fmt: skip
    with timezone.override("Asia/Kolkata"):
        results = campaign_results(campaign=campaign, user=supervisor, filters=ResultsFilter())
    assert "another time zone" in results.counted_from_rows
    assert results.penetration.dialled == 1


@pytest.mark.parametrize("model", [ResultCount, ResultCountsState])
def test_the_kept_counts_are_in_the_admin_read_only(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_select_related
    assert not model_admin.has_add_permission(None)


@pytest.mark.django_db
def test_a_bulk_move_to_another_list_moves_the_results_in_the_counts(supervisor):
    from leads.services import leads_bulk_act

    campaign, lists, leads = _world()
    for row in leads:
        LeadResult.objects.create(
            campaign=campaign, lead=row, attempts=1, last_attempt_at=NOW,
            source=ResultSource.PULL, reported_at=NOW,
        )  # fmt: skip
    moving = Lead.objects.filter(lead_list=lists[0])
    result = leads_bulk_act(
        leads=moving, action="move", acting_user=supervisor, target_list=lists[1]
    )
    assert result.done == LEADS // 2
    assert not ResultCount.objects.filter(lead_list=lists[0]).exists()
    assert result_counts_kept(campaign_id=campaign.pk) == result_counts_real(
        campaign_id=campaign.pk
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ResultCount, ResultCountsState])
def test_the_kept_counts_changelists_cost_the_same_at_2_and_6_campaigns(admin_client, model):
    from django.test.utils import CaptureQueriesContext

    def one_more():
        campaign, _, leads = _world()
        LeadResult.objects.create(
            campaign=campaign, lead=leads[0], attempts=1, last_attempt_at=NOW,
            source=ResultSource.PULL, reported_at=NOW,
        )  # fmt: skip

    url = f"/admin/results/{model._meta.model_name}/"
    counts = []
    for more in (2, 4):
        for _ in range(more):
            one_more()
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_rows_written_before_the_counts_wait_for_the_recount(supervisor):
    """An upgrade: result rows exist (here written by SQL) before the campaign's counts; a
    later counted write must not make the page trust partial counts."""
    campaign, lists, leads = _world()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO results_leadresult (campaign_id, lead_id, attempts, last_attempt_at,"
            " last_result_raw, last_result_code, agent, done, source, reported_at)"
            " VALUES (%s, %s, 1, now(), '', '', '', false, 'pull', now())",
            [campaign.pk, leads[0].pk],
        )
    LeadResult.objects.create(
        campaign=campaign, lead=leads[1], attempts=1, last_attempt_at=NOW,
        source=ResultSource.PULL, reported_at=NOW,
    )  # fmt: skip
    results = campaign_results(campaign=campaign, user=supervisor, filters=ResultsFilter())
    assert results.counted_from_rows == NOT_COUNTED
    assert results.penetration.dialled == 2
    assert result_counts_recount(campaign_id=campaign.pk)  # the SQL row was missing
    results = campaign_results(campaign=campaign, user=supervisor, filters=ResultsFilter())
    assert results.counted_from_rows == "" and results.penetration.dialled == 2
