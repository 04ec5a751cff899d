"""Pausing, stopping and archiving several campaigns at once."""

import pytest

from campaigns import services
from campaigns.models import CampaignStatus
from dialer_console.errors import ApplicationError
from sync.models import Operation, SyncJob
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


def _active(account, **kwargs):
    return CampaignFactory(
        vendor_account=account,
        vendor_settings=VALID_SETTINGS[account.kind],
        status=CampaignStatus.ACTIVE,
        **kwargs,
    )


def test_stop_several_gives_each_one_sync_job(accounts, supervisor):
    first, second = _active(accounts["acefone"]), _active(accounts["jtel"])
    result = services.campaigns_bulk_transition(
        campaign_ids=[first.pk, second.pk], action="stop", acting_user=supervisor
    )
    assert [campaign.pk for campaign in result.done] == [first.pk, second.pk]
    assert result.skipped == []
    for campaign in (first, second):
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.STOPPED
        jobs = SyncJob.objects.filter(campaign=campaign, operation=Operation.CAMPAIGN_SYNC)
        assert jobs.count() == 1


def test_campaigns_that_cannot_change_are_skipped_with_the_reason(accounts, supervisor):
    running = _active(accounts["acefone"])
    draft = CampaignFactory(status=CampaignStatus.DRAFT)
    result = services.campaigns_bulk_transition(
        campaign_ids=[running.pk, draft.pk, 999999], action="pause", acting_user=supervisor
    )
    assert [campaign.pk for campaign in result.done] == [running.pk]
    reasons = {pk: reason for pk, _, reason in result.skipped}
    assert "cannot become paused" in reasons[draft.pk]
    assert reasons[999999] == services.bulk.NOT_YOURS
    assert result.as_dict()["skipped"] == 2


def test_another_teams_campaigns_are_skipped(accounts, django_user_model):
    from django.contrib.auth.models import Permission

    from tests.accounts.factories import UserFactory

    editor = UserFactory(with_team=True)  # no role: may change campaigns, of its team only
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=("change_campaign", "view_campaign"))
    )
    editor = django_user_model.objects.get(pk=editor.pk)
    own = _active(accounts["acefone"], team=editor.team)
    foreign = _active(accounts["jtel"])
    result = services.campaigns_bulk_transition(
        campaign_ids=[own.pk, foreign.pk], action="stop", acting_user=editor
    )
    assert [campaign.pk for campaign in result.done] == [own.pk]
    assert [pk for pk, _, _ in result.skipped] == [foreign.pk]
    foreign.refresh_from_db()
    assert foreign.status == CampaignStatus.ACTIVE


def test_only_pause_stop_archive_are_bulk_actions(supervisor):
    with pytest.raises(ApplicationError, match="several campaigns"):
        services.campaigns_bulk_transition(campaign_ids=[1], action="start", acting_user=supervisor)


def test_a_team_lead_may_not_change_campaigns(team_lead):
    with pytest.raises(ApplicationError, match="may not"):
        services.campaigns_bulk_transition(campaign_ids=[1], action="stop", acting_user=team_lead)
