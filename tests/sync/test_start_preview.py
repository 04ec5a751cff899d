"""Before a start (issue #13, point 4): the campaign's callable leads by when the calling
window first lets the dialer call them, per time zone, counted in each lead's own day;
and the gate's selection of the queued leads it lets through now, equal to the breakdown's
rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Value
from django.db.models.functions import Coalesce, NullIf

from campaigns.models import (
    CallingWindow,
    CallingWindowDay,
    CallingWindowHoliday,
    CampaignLeadList,
)
from leads.models import Lead
from results.models import LeadResult, ResultSource
from sync.dialling import campaign_breakdown
from sync.models import LeadSync, LeadSyncState
from sync.services.push import _take_batch
from sync.start_preview import campaign_start_preview
from sync.window_gate import Gate
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadFactory, LeadListFactory
from vendors.adapters.types import WindowMeans

pytestmark = pytest.mark.django_db
# Wednesday 2 Dec 2026, 15:00 UTC. Under Mon-Fri 09:00-17:00 in each lead's time:
# New York 10:00 Wed: open now. Los Angeles 07:00 Wed: opens later today (17:00 UTC).
# Tokyo 00:00 Thu: its today is Thursday, opening at 09:00 JST (Thu 00:00 UTC): later
# today. Kolkata 20:30 Wed: opens tomorrow 09:00 IST (Thu 03:30 UTC), after Tokyo.
WEDNESDAY = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
SATURDAY = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
ZONES = {
    "America/New_York": ("+1212555", 3),
    "America/Los_Angeles": ("+1415555", 2),
    "Asia/Tokyo": ("+8135555", 4),
    "Asia/Kolkata": ("+9198123", 5),
}


def _weekdays_nine_to_five() -> CallingWindow:
    window = CallingWindow.objects.create(name="Weekdays 9-5")
    for day in range(5):
        CallingWindowDay.objects.create(
            calling_window=window, weekday=day, start=dt.time(9), end=dt.time(17)
        )
    return window


@pytest.fixture
def campaign():
    account = VendorAccountFactory(kind="webitel", health_ok=True)
    campaign = CampaignFactory(
        vendor_account=account, status="draft", calling_window=_weekdays_nine_to_five()
    )
    main = LeadListFactory(default_timezone="America/New_York")
    unplaced = LeadListFactory(default_timezone="")
    parked = LeadListFactory(default_timezone="Asia/Tokyo")
    for position, (lead_list, active) in enumerate(
        ((main, True), (unplaced, True), (parked, False))
    ):
        CampaignLeadList.objects.create(
            campaign=campaign, lead_list=lead_list, position=position, active=active
        )
    for zone, (prefix, leads) in ZONES.items():
        for n in range(leads):
            LeadFactory(lead_list=main, phone=f"{prefix}{n:04d}", timezone=zone)
    LeadFactory(lead_list=main, phone="+12125559999", timezone="")  # the list's zone: NY
    for n in range(2):
        LeadFactory(lead_list=unplaced, phone=f"+4930123456{n}", timezone="")  # unknown zone
    LeadFactory(lead_list=parked, phone="+81355559999", timezone="Asia/Tokyo")  # list off
    # Not callable by themselves: never in the preview.
    LeadFactory(lead_list=main, phone="+12125558000", timezone="America/New_York", status="dnc")
    done = LeadFactory(lead_list=main, phone="+12125558001", timezone="America/New_York")
    LeadResult.objects.create(
        campaign=campaign, lead=done, done=True, source=ResultSource.PULL, reported_at=WEDNESDAY
    )
    refused = LeadFactory(lead_list=main, phone="+12125558002", timezone="America/New_York")
    LeadSync.objects.create(campaign=campaign, lead=refused, state=LeadSyncState.FAILED)
    pushed = LeadFactory(lead_list=main, phone="+12125558003", timezone="America/New_York")
    LeadSync.objects.create(campaign=campaign, lead=pushed, state=LeadSyncState.PUSHED)
    return campaign


def _callable_rows(campaign):
    """The leads the preview counts, read from the rows with the ORM."""
    return (
        Lead.objects.filter(
            lead_list__campaign_links__campaign=campaign,
            lead_list__campaign_links__active=True,
            status="new",
        )
        .exclude(results__campaign=campaign, results__done=True)
        .exclude(syncs__campaign=campaign, syncs__state__in=["failed", "dnc", "removed"])
    )


def test_each_zone_by_when_its_leads_first_open_in_their_own_day(campaign):
    preview = campaign_start_preview(campaign=campaign, at=WEDNESDAY)
    rows = {zone.label: zone for zone in preview.zones}
    figures = {
        label: (row.now, row.later_today, row.tomorrow, row.later, row.never)
        for label, row in rows.items()
    }
    assert figures == {
        "America/New_York": (3 + 1 + 1, 0, 0, 0, 0),  # its own 3, the list's one, pushed one
        "America/Los_Angeles": (0, 2, 0, 0, 0),
        "Asia/Tokyo": (0, 4, 0, 0, 0),
        "Asia/Kolkata": (0, 0, 5, 0, 0),
        "unknown zone": (0, 0, 0, 0, 2),
    }
    assert [zone.label for zone in preview.zones][-1] == "unknown zone"
    assert rows["Asia/Tokyo"].opens_at == dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC)
    assert rows["Asia/Kolkata"].opens_at == dt.datetime(2026, 12, 3, 3, 30, tzinfo=dt.UTC)
    assert (preview.now, preview.later_today, preview.tomorrow) == (5, 6, 5)
    # Every callable lead once, against the rows; and per zone against the rows too.
    assert preview.total == _callable_rows(campaign).count() == 18
    by_zone = (
        _callable_rows(campaign)
        .annotate(zone=Coalesce(NullIf("timezone", Value("")), "lead_list__default_timezone"))
        .values("zone")
        .annotate(leads=Count("pk"))
    )
    assert {row["zone"] or "unknown zone": row["leads"] for row in by_zone} == {
        label: row.total for label, row in rows.items()
    }
    assert preview.within_24h == 5 + 6 + 5
    assert preview.nothing_soon == ""


def test_a_holiday_pushes_openings_to_later(campaign):
    CallingWindowHoliday.objects.create(
        calling_window=campaign.calling_window, date=dt.date(2026, 12, 3)
    )
    campaign.refresh_from_db()
    rows = {
        zone.label: zone for zone in campaign_start_preview(campaign=campaign, at=WEDNESDAY).zones
    }
    # Tokyo's today (Thursday) is the holiday: it opens Friday, its tomorrow. Kolkata's
    # tomorrow is the holiday: Friday is later.
    assert (rows["Asia/Tokyo"].tomorrow, rows["Asia/Kolkata"].later) == (4, 5)


def test_nothing_callable_within_24_hours_says_why(campaign):
    preview = campaign_start_preview(campaign=campaign, at=SATURDAY)
    assert preview.now == preview.later_today == preview.within_24h == 0
    assert preview.total == 18
    reason = preview.nothing_soon
    assert reason.startswith("No lead of this campaign can be called in the next 24 hours.")
    assert "“Weekdays 9-5”: Mon–Fri 09:00–17:00 in each lead's local time." in reason
    # Tokyo opens first: Monday 09:00 JST is Monday 00:00 UTC.
    assert "It opens next for 4 leads in Asia/Tokyo on Mon 07 Dec 2026 at 09:00" in reason
    assert "2 leads are never called" in reason


def test_without_a_window_every_callable_lead_is_callable_now(campaign):
    campaign.calling_window = None
    campaign.save()
    preview = campaign_start_preview(campaign=campaign, at=SATURDAY)
    assert preview.now == preview.total == preview.within_24h == 18
    assert preview.window_words == "" and preview.nothing_soon == ""


def test_a_team_lead_counts_only_their_teams_lists(campaign):
    from tests.accounts.factories import UserFactory

    lead = UserFactory(role="Team lead", with_team=True)
    unplaced = campaign.list_links.get(position=1).lead_list
    unplaced.team = lead.team
    unplaced.save()
    preview = campaign_start_preview(campaign=campaign, user=lead, at=WEDNESDAY)
    assert [(zone.label, zone.never) for zone in preview.zones] == [("unknown zone", 2)]


# --- the gate's selection ------------------------------------------------------------------


def _queue_callable_leads(campaign) -> None:
    """A PENDING push row for each callable lead not on the dialer, as the push job's
    enrolment gives them."""
    for lead in _callable_rows(campaign).exclude(syncs__campaign=campaign):
        LeadSync.objects.create(campaign=campaign, lead=lead, state=LeadSyncState.PENDING)


def _gate_selection(campaign, at):
    """The push rows the gate lets through at ``at`` (what ``_take_batch`` reads)."""
    gate = Gate.for_campaign(means=WindowMeans(), campaign=campaign, at=at)
    return gate.pending(LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PENDING))


@pytest.mark.parametrize("at", [WEDNESDAY, SATURDAY, WEDNESDAY + dt.timedelta(hours=3)])
def test_the_gates_selection_is_the_breakdowns_queued_row(campaign, at):
    campaign.status = "active"
    campaign.save()
    _queue_callable_leads(campaign)
    selected = list(_gate_selection(campaign, at).values_list("lead_id", flat=True))
    counts = campaign_breakdown(campaign=campaign, at=at).counts
    assert len(selected) == len(set(selected)) == counts["queued"]
    # On the dialer or let through now: the preview's "callable now".
    preview = campaign_start_preview(campaign=campaign, at=at)
    assert counts["ready"] + counts["queued"] == preview.now


def test_the_gate_lets_through_the_leads_whose_window_is_open(campaign):
    _queue_callable_leads(campaign)
    selected = list(
        _gate_selection(campaign, WEDNESDAY).order_by("lead_id").values_list("lead_id", flat=True)
    )
    expected = (
        _callable_rows(campaign)
        .filter(phone__startswith="+1212")
        .exclude(syncs__campaign=campaign, syncs__state="pushed")
        .order_by("pk")
    )
    assert selected == list(expected.values_list("pk", flat=True)) and len(selected) == 4
    # The push job claims them in lead order, a batch at a time.
    gate = Gate.for_campaign(means=WindowMeans(), campaign=campaign, at=WEDNESDAY)
    _token, batch = _take_batch(campaign, 2, gate)
    assert [row.lead_id for row in batch] == selected[:2]
    # 18:00 UTC: New York (13:00) and Los Angeles (10:00) are open, the others not.
    later = _gate_selection(campaign, WEDNESDAY + dt.timedelta(hours=3))
    assert {row.lead.phone[:5] for row in later.select_related("lead")} == {"+1212", "+1415"}
    assert not _gate_selection(campaign, SATURDAY).exists()
