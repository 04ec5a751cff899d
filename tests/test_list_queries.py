"""Every list page and API list runs a fixed number of queries, whatever the rows: the
same with 1 row as with 30 (no query a row), and no more than its ceiling.

Each case creates ``n`` rows of what the list shows, each row with the related objects
the page names (team, creator, vendor account, codes...), so a missing select_related
shows up as a count that grows with the rows."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import (
    CallingWindow,
    CallingWindowDay,
    Campaign,
    CampaignLeadList,
    DispositionCode,
    LeadDisposition,
    PauseCode,
)
from leads.models import DncEntry, ImportJob, ImportState, Lead
from sync.models import LeadSync, Operation, SyncJob
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import (
    AgentFactory,
    CampaignFactory,
    DispositionListFactory,
    PauseCodeListFactory,
)
from tests.leads.factories import LeadListFactory
from tests.vendors.factories import VendorCallFactory
from vendors.models import VendorAccount

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1000)


def _account() -> VendorAccount:
    return VendorAccount.objects.get_or_create(
        name="Acefone main", defaults={"kind": "acefone", "base_url": "http://127.0.0.1:9"}
    )[0]


def _user():
    return UserFactory(role="Team lead", with_team=True)


@dataclass
class World:
    """What a case's ``make`` leaves for its ``url``: the objects the list belongs to."""

    supervisor: object
    campaign: Campaign | None = None
    lead_list: object = None
    team_id: int | None = None

    def the_campaign(self) -> Campaign:
        if self.campaign is None:
            self.campaign = CampaignFactory(vendor_account=_account(), team=TeamFactory())
        return self.campaign

    def the_list(self):
        if self.lead_list is None:
            self.lead_list = LeadListFactory(total_count=0)
            CampaignLeadList.objects.create(campaign=self.the_campaign(), lead_list=self.lead_list)
        return self.lead_list


def _campaigns(world: World, n: int) -> None:
    for _ in range(n):
        CampaignFactory(vendor_account=_account(), team=TeamFactory())


def _lead_lists(world: World, n: int) -> None:
    for _ in range(n):
        lead_list = LeadListFactory(created_by=_user())
        ImportJob.objects.create(
            lead_list=lead_list, original_name="a.csv", state=ImportState.DONE, created_by=_user()
        )


def _leads(world: World, n: int) -> None:
    lead_list = world.the_list()
    Lead.objects.bulk_create(
        Lead(lead_list=lead_list, phone=f"+1212555{next(_numbers):04d}") for _ in range(n)
    )


def _campaign_leads_with_outcomes(world: World, n: int) -> None:
    """Leads with a sync row and an outcome each, every outcome recorded by another user
    (one query a row if ``recorded_by`` is not fetched with them)."""
    campaign = world.the_campaign()
    _leads(world, n)
    for lead in Lead.objects.filter(lead_list=world.the_list(), syncs__isnull=True):
        LeadSync.objects.create(campaign=campaign, lead=lead, state="pushed", remote_id="r1")
        LeadDisposition.objects.create(
            campaign=campaign, lead=lead, code="NA", label="No answer", recorded_by=_user()
        )


def _dnc(world: World, n: int) -> None:
    lead_list, campaign = world.the_list(), world.the_campaign()
    for index in range(n):
        # The first row names a campaign, so one row already asks for campaign names.
        scope = ("campaign", "list", "everywhere")[index % 3]
        DncEntry.objects.create(
            phone=f"+1212555{next(_numbers):04d}",
            scope=scope,
            campaign_id=campaign.pk if scope == "campaign" else None,
            lead_list=lead_list if scope == "list" else None,
            created_by=_user(),
        )


def _imports(world: World, n: int) -> None:
    for _ in range(n):
        ImportJob.objects.create(
            lead_list=LeadListFactory(), original_name="b.csv", created_by=_user()
        )


def _sync_jobs(world: World, n: int) -> None:
    now = timezone.now()
    for index in range(n):
        SyncJob.objects.create(
            account=_account(),
            campaign=CampaignFactory(team=TeamFactory()),
            operation=Operation.CAMPAIGN_SYNC if index % 2 else Operation.LEAD_REMOVE,
            state=("pending", "failed", "done")[index % 3],
            not_before=now - timedelta(minutes=index),
        )


def _vendor_accounts(world: World, n: int) -> None:
    for _ in range(n):
        VendorAccount.objects.create(name=f"Account {next(_numbers)}", kind="jtel")


def _calls(world: World, n: int) -> None:
    for _ in range(n):
        VendorCallFactory(account=_account())


def _agents(world: World, n: int) -> None:
    for _ in range(n):
        AgentFactory(team=TeamFactory())


def _team_members(world: World, n: int) -> None:
    team = TeamFactory(name="Members")
    world.team_id = team.pk
    for _ in range(n):
        UserFactory(role="Team lead", team=team)
        TeamFactory()


def _lockouts(world: World, n: int) -> None:
    from axes.models import AccessAttempt

    for _ in range(n):
        number = next(_numbers)
        AccessAttempt.objects.create(
            username=f"u{number}", ip_address=f"198.51.{number // 250 % 250}.{number % 250}",
            user_agent="t", failures_since_start=1, get_data="", post_data="",
            http_accept="*/*", path_info="/accounts/login/",
        )  # fmt: skip


def _disposition_lists(world: World, n: int) -> None:
    for _ in range(n):
        codes = DispositionListFactory()
        DispositionCode.objects.create(disposition_list=codes, code="NA", label="No answer")
        CampaignFactory(disposition_list=codes)


def _pause_code_lists(world: World, n: int) -> None:
    for _ in range(n):
        codes = PauseCodeListFactory()
        PauseCode.objects.create(pause_code_list=codes, code="LUNCH", label="Lunch")


def _calling_windows(world: World, n: int) -> None:
    for _ in range(n):
        window = CallingWindow.objects.create(name=f"Window {next(_numbers)}")
        CallingWindowDay.objects.create(calling_window=window, weekday=0)


def _audit_entries(world: World, n: int) -> None:
    from audit.context import Door, audit_door

    with audit_door(Door.PAGE, actor=_user()):
        for _ in range(n):
            team = TeamFactory()
            team.name += " renamed"
            team.save()


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[World, int], None]
    url: Callable[[World], str]
    ceiling: int  # the most queries the list may run (session and user included)
    api: bool = False


CASES = [
    Case("campaigns page", _campaigns, lambda w: "/campaigns/", 12),
    Case("campaigns page by name", _campaigns, lambda w: "/campaigns/?sort=name", 12),
    Case("lead lists page", _lead_lists, lambda w: "/leads/", 8),
    Case("audit trail page", _audit_entries, lambda w: "/audit/", 6),
    # 11: the bulk bar reads the lists and campaigns its move and recycle may target.
    # 12: one for the list's own change history (the audit trail, shown to supervisors).
    Case("a list's leads page", _leads, lambda w: f"/leads/{w.the_list().pk}/", 12),
    Case(
        "a list's leads by phone prefix",
        _leads,
        lambda w: f"/leads/{w.the_list().pk}/?phone=%2B1212555",
        12,
    ),
    Case(
        "a campaign's leads page with outcomes",
        _campaign_leads_with_outcomes,
        lambda w: f"/campaigns/{w.the_campaign().pk}/leads/",
        14,
    ),
    Case(
        "a campaign's done leads",
        _campaign_leads_with_outcomes,
        lambda w: f"/campaigns/{w.the_campaign().pk}/leads/?state=pushed",
        14,
    ),
    Case("do-not-call page", _dnc, lambda w: "/dnc/", 8),
    Case("do-not-call page by number", _dnc, lambda w: "/dnc/?sort=phone", 8),
    Case("imports page", _imports, lambda w: "/leads/imports/", 6),
    Case("sync jobs page", _sync_jobs, lambda w: "/sync/jobs/", 12),
    Case("vendor accounts page", _vendor_accounts, lambda w: "/vendors/", 6),
    Case("call log page", _calls, lambda w: f"/vendors/accounts/{_account().pk}/calls/", 8),
    Case("agents page", _agents, lambda w: "/campaigns/agents/", 6),
    Case("disposition lists page", _disposition_lists, lambda w: "/campaigns/dispositions/", 6),
    Case("pause-code lists page", _pause_code_lists, lambda w: "/campaigns/pause-codes/", 6),
    Case("calling windows page", _calling_windows, lambda w: "/campaigns/calling-windows/", 6),
    Case("campaigns API", _campaigns, lambda w: "/api/v1/campaigns/", 8, api=True),
    Case("lead lists API", _lead_lists, lambda w: "/api/v1/lead-lists/", 6, api=True),
    Case(
        "leads API by list",
        _leads,
        lambda w: f"/api/v1/leads/?lead_list={w.the_list().pk}",
        6,
        api=True,
    ),
    Case(
        "a campaign's leads API with outcomes",
        _campaign_leads_with_outcomes,
        lambda w: f"/api/v1/campaigns/{w.the_campaign().pk}/leads/",
        10,
        api=True,
    ),
    Case("do-not-call API", _dnc, lambda w: "/api/v1/dnc-entries/", 6, api=True),
    Case("sync jobs API", _sync_jobs, lambda w: "/api/v1/sync/jobs/", 6, api=True),
    Case("agents API", _agents, lambda w: "/api/v1/agents/", 6, api=True),
    Case(
        "disposition lists API",
        _disposition_lists,
        lambda w: "/api/v1/disposition-lists/",
        6,
        api=True,
    ),
    Case(
        "pause-code lists API",
        _pause_code_lists,
        lambda w: "/api/v1/pause-code-lists/",
        6,
        api=True,
    ),
    Case(
        "calling windows API", _calling_windows, lambda w: "/api/v1/calling-windows/", 6, api=True
    ),
    Case("teams API", _team_members, lambda w: "/api/v1/teams/", 4, api=True),
    Case(
        "a team's members API",
        _team_members,
        lambda w: f"/api/v1/teams/{w.team_id}/",
        6,
        api=True,
    ),
    Case("lockouts API", _lockouts, lambda w: "/api/v1/lockouts/", 4, api=True),
]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_list_runs_the_same_queries_for_1_row_as_for_30(
    case, client, api_client, supervisor, settings
):
    if case.api:
        api_client.force_authenticate(supervisor)
        http = api_client
    else:
        client.force_login(supervisor)
        http = client
    world = World(supervisor=supervisor)
    case.make(world, 1)
    url = case.url(world)
    http.get(url)  # warm caches (content types, permissions) out of the count
    one = _count(http, url)
    case.make(world, 29)
    thirty = _count(http, url)
    assert thirty == one, f"{case.name}: {one} queries for 1 row, {thirty} for 30"
    assert one <= case.ceiling, f"{case.name}: {one} queries, more than {case.ceiling}"
