import pytest

from accounts.models import Team
from campaigns.demo import load_demo
from campaigns.models import Agent, CallingWindow, Campaign, DispositionList, PauseCodeList
from campaigns.spec import campaign_field_map_problems
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import LeadListFactory

pytestmark = pytest.mark.django_db


def test_demo_builds_blocks_and_one_campaign_per_account_and_runs_twice(accounts):
    teams = {name: Team.objects.create(name=name) for name in ("North team", "South team")}
    north = LeadListFactory(name="North list", team=teams["North team"])
    south = LeadListFactory(name="South list", team=teams["South team"])
    context = {
        "users": {"supervisor": UserFactory(role="Supervisor")},
        "teams": teams,
        "vendor_accounts": accounts,
        "lead_lists": {"North list": north, "South list": south},
    }
    load_demo(context=context)
    load_demo(context=context)
    assert Agent.objects.count() == 3
    codes = DispositionList.objects.get().codes
    assert codes.filter(is_final=True, is_success=True).exists()
    assert codes.filter(is_do_not_call=True).exists()
    assert codes.filter(is_callback=True, retry_after_minutes=120).exists()
    # The outcomes' recycling rules, once however often the demo loads (issue #14).
    rules = DispositionList.objects.get().recycle_rules
    assert set(rules.values_list("match_kind", "match_code", "action", "delay_minutes")) == {
        ("dialer", "BUSY", "delay", 30),
        ("dialer", "NO_ANSWER", "next_day", None),
        ("disposition", "AM", "delay", 240),
        ("disposition", "CB", "callback_time", None),
    }
    assert PauseCodeList.objects.get().codes.count() == 3
    window = CallingWindow.objects.get()
    assert window.timezone_policy == "lead_local"
    assert {(d.start.hour, d.end.hour) for d in window.days.all()} == {(8, 21)}
    assert window.days.count() == 7
    assert sorted(Campaign.objects.values_list("vendor_account__kind", flat=True)) == sorted(
        accounts
    )
    for campaign in Campaign.objects.all():
        assert [link.lead_list for link in campaign.list_links.all()] == [north]
        # Each demo campaign has what its vendor's field map needs: it can start.
        assert campaign_field_map_problems(campaign=campaign, before_sync=True) == []


def test_demo_skips_campaigns_without_accounts():
    load_demo(context={"users": {}, "teams": {}})
    assert not Campaign.objects.exists()
    assert Agent.objects.count() == 3
