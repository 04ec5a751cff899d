"""Why each lead is or is not on the dialer now (issue #13, point 3): every lead in one
row, the rows adding up to the campaign's leads, the window judged in each lead's place."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import CallingWindow, CallingWindowDay, CampaignLeadList
from leads.models import Lead
from results.models import LeadResult, ResultSource
from sync.dialling import REASONS, campaign_breakdown
from sync.models import JobState, LeadSync, LeadSyncState, Operation, SyncJob
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db
# Friday 4 Dec 2026, 16:00 UTC: 11:00 in New York, 18:00 in Jerusalem (its weekend),
# 21:30 in Kolkata (after its hours).
FRIDAY = dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC)
NOW_IN_NY = "America/New_York"


def _window(**flags) -> CallingWindow:
    window = CallingWindow.objects.create(name="Every day 8-21", **flags)
    for day in range(7):
        CallingWindowDay.objects.create(calling_window=window, weekday=day)
    return window


def _lead(lead_list, phone, *, tz="", status="new", push=None, campaign=None, done=None):
    lead = LeadFactory(lead_list=lead_list, phone=phone, timezone=tz, status=status)
    if push:
        LeadSync.objects.create(campaign=campaign, lead=lead, state=push)
    if done is not None:
        LeadResult.objects.create(
            campaign=campaign, lead=lead, done=done, source=ResultSource.PULL, reported_at=FRIDAY
        )
    return lead


@pytest.fixture
def campaign():
    account = VendorAccountFactory(kind="webitel", health_ok=True)
    campaign = CampaignFactory(
        vendor_account=account, status="active", calling_window=_window(skip_local_weekend=True)
    )
    main = LeadListFactory(default_timezone=NOW_IN_NY)
    unplaced = LeadListFactory(default_timezone="")
    parked = LeadListFactory()
    CampaignLeadList.objects.create(campaign=campaign, lead_list=main, position=0)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=unplaced, position=1)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=parked, position=2, active=False)
    pushed, failed = LeadSyncState.PUSHED, LeadSyncState.FAILED
    for n in range(3):
        _lead(main, f"+1212555010{n}", tz=NOW_IN_NY, push=pushed, campaign=campaign)
    _lead(main, "+12125550110", push=pushed, campaign=campaign)  # the list's zone
    for n in range(2):
        _lead(main, f"+1212555020{n}", tz=NOW_IN_NY)  # never pushed
    _lead(main, "+12125550210", tz=NOW_IN_NY, push=LeadSyncState.PENDING, campaign=campaign)
    _lead(main, "+12125550300", tz=NOW_IN_NY, push=failed, campaign=campaign)
    _lead(main, "+12125550400", status="invalid")
    _lead(main, "+12125550500", status="dnc")
    _lead(main, "+12125550501", push=LeadSyncState.DNC, campaign=campaign)  # the dialer's DND
    _lead(main, "+12125550600", status="removed")
    _lead(main, "+12125550700", status="done")
    _lead(main, "+12125550800", tz=NOW_IN_NY, push=pushed, campaign=campaign, done=True)
    _lead(main, "+12125550801", tz=NOW_IN_NY, push=pushed, campaign=campaign, done=False)
    for n in range(2):
        _lead(main, f"+91981234567{n}", tz="Asia/Kolkata", push=pushed, campaign=campaign)
    _lead(main, "+972501234567", tz="Asia/Jerusalem", push=pushed, campaign=campaign)
    _lead(unplaced, "+493012345678")  # no zone from the number, none from the list
    for n in range(2):
        _lead(parked, f"+1212555090{n}", tz=NOW_IN_NY)
    return campaign


def test_every_lead_in_one_row_and_the_rows_add_up(campaign):
    breakdown = campaign_breakdown(campaign=campaign, at=FRIDAY)
    assert breakdown.counts == {
        "list_inactive": 2,
        "invalid": 1,
        "dnc": 2,
        "removed": 1,
        "done": 1,
        "exhausted": 1,
        "not_running": 0,
        "account": 0,
        "refused": 1,
        "zone_unknown": 1,
        "holiday": 1,  # Friday is the weekend in Israel
        "waiting": 2,  # Kolkata at 21:30
        "queued": 3,
        "ready": 5,  # New York at 11:00, pushed, not done (the list's zone counts too)
    }
    in_lists = Lead.objects.filter(lead_list__campaign_links__campaign=campaign).count()
    assert breakdown.total == sum(breakdown.counts.values()) == in_lists == 21
    assert [reason.key for reason, _ in breakdown.rows] == [reason.key for reason in REASONS]


def test_when_each_zone_opens_next(campaign):
    waiting = campaign_breakdown(campaign=campaign, at=FRIDAY).waiting
    # Jerusalem: Saturday is its weekend too, so Sunday 08:00 (UTC+2); Kolkata: Saturday
    # and Sunday are India's weekend, so Monday 08:00 (UTC+05:30).
    assert [(wait.zone, wait.leads, wait.opens_at) for wait in waiting] == [
        ("Asia/Jerusalem", 1, dt.datetime(2026, 12, 6, 6, 0, tzinfo=dt.UTC)),
        ("Asia/Kolkata", 2, dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC)),
    ]


def test_an_hour_later_nothing_moves_and_at_nine_in_new_york_its_leads_wait(campaign):
    an_hour_later = campaign_breakdown(campaign=campaign, at=FRIDAY + dt.timedelta(hours=1))
    assert an_hour_later.counts == campaign_breakdown(campaign=campaign, at=FRIDAY).counts
    # Saturday 02:00 UTC: 21:00 on Friday in New York (closed), Saturday in Jerusalem and
    # Kolkata (the weekend in both).
    counts = campaign_breakdown(campaign=campaign, at=FRIDAY + dt.timedelta(hours=10)).counts
    assert counts["ready"] == counts["queued"] == 0
    assert counts["waiting"] == 5 + 3  # New York's pushed and queued leads
    assert counts["holiday"] == 1 + 2


def test_a_campaign_not_running_or_a_failing_account_holds_every_callable_lead(campaign):
    campaign.status = "paused"
    campaign.save()
    counts = campaign_breakdown(campaign=campaign, at=FRIDAY).counts
    # Everything but the 8 leads held by what is true of themselves.
    assert counts["not_running"] == 21 - 8 == 13
    assert counts["dnc"] == 2 and counts["ready"] == counts["waiting"] == 0
    campaign.status = "active"
    campaign.save()
    SyncJob.objects.create(
        account=campaign.vendor_account,
        campaign=campaign,
        operation=Operation.CAMPAIGN_SYNC,
        state=JobState.HELD,
        not_before=FRIDAY,
    )
    assert campaign_breakdown(campaign=campaign, at=FRIDAY).counts["account"] == 13


def test_without_a_calling_window_nothing_waits_for_one(campaign):
    campaign.calling_window = None
    campaign.save()
    breakdown = campaign_breakdown(campaign=campaign, at=FRIDAY)
    assert breakdown.counts["waiting"] == breakdown.counts["holiday"] == 0
    assert breakdown.counts["zone_unknown"] == 0
    assert breakdown.counts["ready"] == 5 + 2 + 1
    assert breakdown.window_words == ""


# --- on the page and in the API ------------------------------------------------------------


def test_the_campaign_page_loads_the_breakdown_after_its_first_paint(supervisor_client, campaign):
    from django.urls import reverse

    detail = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    url = reverse("sync:campaign-dialling", args=[campaign.pk])
    assert f'hx-get="{url}" hx-trigger="load"' in detail.content.decode()
    fragment = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<article id="dialling"')
    assert '<tr data-reason="ready"><th scope="row">On the dialer and callable now</th>' in fragment
    assert '<td class="num" data-total>21</td>' in fragment
    page = supervisor_client.get(url).content.decode()
    assert "<h1>Why leads are or are not dialling</h1>" in page


def test_the_api_gives_the_same_rows(api_client, supervisor, campaign):
    api_client.force_authenticate(supervisor)
    reply = api_client.get(f"/api/v1/sync/campaigns/{campaign.pk}/dialling/").json()
    expected = campaign_breakdown(campaign=campaign)
    assert reply["total"] == expected.total == 21
    assert {row["key"]: row["leads"] for row in reply["reasons"]} == expected.counts
    assert [row["key"] for row in reply["reasons"]] == [reason.key for reason in REASONS]


def test_a_team_lead_counts_only_the_lists_of_their_team(client, campaign):
    from tests.accounts.factories import UserFactory

    lead = UserFactory(role="Team lead", with_team=True)
    campaign.team = lead.team
    campaign.save()
    main = campaign.list_links.get(position=0).lead_list
    main.team = campaign.team
    main.save()
    client.force_login(lead)
    breakdown = campaign_breakdown(campaign=campaign, user=lead, at=FRIDAY)
    assert breakdown.total == Lead.objects.filter(lead_list=main).count() == 18
    fragment = client.get(f"/sync/campaigns/{campaign.pk}/dialling/", HTTP_HX_REQUEST="true")
    assert '<td class="num" data-total>18</td>' in fragment.content.decode()
