"""The duplicate scope's lists, service by service (the doors are in test_team_isolation)."""

import pytest

from dialer_console.errors import ApplicationError
from leads.models import ImportJob
from leads.services.duplicate_scope import duplicate_scope_check, duplicate_scope_list_ids
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.leads.factories import LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    return {
        "target": LeadListFactory(team=north),
        "north": LeadListFactory(team=north),
        "south": LeadListFactory(team=south),
    }


def _job(lists, user, scope, campaign=None) -> ImportJob:
    return ImportJob(
        lead_list=lists["target"],
        duplicate_scope=scope,
        scope_campaign_id=campaign.pk if campaign else None,
        acting_user=user,
        created_by=user,
    )


def _ids(lists, *names):
    return sorted(lists[name].pk for name in names)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("Team lead", ("target", "north")), ("API consumer", ("target", "north"))],
)
def test_everywhere_is_the_users_team(lists, role, expected):
    user = UserFactory(role=role, team=lists["target"].team)
    assert duplicate_scope_list_ids(job=_job(lists, user, "everywhere")) == _ids(lists, *expected)


def test_everywhere_is_every_list_for_a_supervisor_and_the_operator(lists):
    assert (
        duplicate_scope_list_ids(job=_job(lists, UserFactory(role="Supervisor"), "everywhere"))
        is None
    )
    assert duplicate_scope_list_ids(job=_job(lists, None, "everywhere")) is None


def test_a_campaign_scope_keeps_the_campaigns_lists_the_user_sees(lists):
    from campaigns.models import CampaignLeadList

    campaign = CampaignFactory(team=lists["target"].team)
    for name in ("north", "south"):  # the South link predates the campaigns' team rule
        CampaignLeadList.objects.create(campaign=campaign, lead_list=lists[name])
    lead = UserFactory(role="Team lead", team=lists["target"].team)
    assert duplicate_scope_list_ids(job=_job(lists, lead, "campaign", campaign)) == _ids(
        lists, "target", "north"
    )
    assert duplicate_scope_list_ids(job=_job(lists, None, "campaign", campaign)) == _ids(
        lists, "target", "north", "south"
    )


def test_a_user_without_a_team_reaches_only_the_target_list(lists):
    user = UserFactory(role="Team lead")
    assert duplicate_scope_list_ids(job=_job(lists, user, "everywhere")) == _ids(lists, "target")


def test_the_campaign_check(lists):
    own = CampaignFactory(team=lists["target"].team)
    foreign = CampaignFactory(team=lists["south"].team)
    lead = UserFactory(role="Team lead", team=lists["target"].team)
    duplicate_scope_check(duplicate_scope="campaign", scope_campaign_id=own.pk, acting_user=lead)
    duplicate_scope_check(
        duplicate_scope="campaign", scope_campaign_id=foreign.pk, acting_user=None
    )
    duplicate_scope_check(duplicate_scope="list", scope_campaign_id=foreign.pk, acting_user=lead)
    for campaign_id in (foreign.pk, foreign.pk + 1000, None):
        with pytest.raises(ApplicationError) as refused:
            duplicate_scope_check(
                duplicate_scope="campaign", scope_campaign_id=campaign_id, acting_user=lead
            )
        assert refused.value.extra == {"field": "scope_campaign"}
    with pytest.raises(ApplicationError, match="no campaign"):
        duplicate_scope_check(
            duplicate_scope="campaign", scope_campaign_id=foreign.pk + 1000, acting_user=None
        )
