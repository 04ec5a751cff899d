import datetime

import pytest

from campaigns import services
from campaigns.models import STATUS_TRANSITIONS, Campaign, CampaignStatus
from dialer_console.errors import ApplicationError
from tests.campaigns.factories import (
    AgentFactory,
    CampaignFactory,
    DispositionListFactory,
    LeadListFactory,
    attach_callable_leads,
    campaign_as_spec,
)
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def startable(monkeypatch):
    """Vendors whose adapter can start and stop (the adapters are another issue's work)."""
    monkeypatch.setattr(
        "campaigns.selectors.vendor_remote_support", lambda kind, capability: (True, "")
    )


def _campaign(account, status=CampaignStatus.DRAFT, **kwargs):
    campaign = CampaignFactory(
        vendor_account=account,
        vendor_settings=VALID_SETTINGS[account.kind] if account else {},
        status=status,
        **kwargs,
    )
    attach_callable_leads(campaign)
    # What the vendor's field map needs before sync (agents' ids, lists' ids...).
    return campaign_as_spec(campaign) if account else campaign


@pytest.mark.parametrize(
    ("start", "end"),
    [(a, b) for a in CampaignStatus.values for b in CampaignStatus.values if a != b],
)
def test_only_legal_transitions_are_allowed(startable, accounts, supervisor, start, end):
    campaign = _campaign(accounts["webitel"], start)
    if end in STATUS_TRANSITIONS[start]:
        services.campaign_transition(campaign=campaign, to_status=end, acting_user=supervisor)
        campaign.refresh_from_db()
        assert campaign.status == end
        assert campaign.updated_by == supervisor
    else:
        with pytest.raises(ApplicationError, match="cannot become"):
            services.campaign_transition(campaign=campaign, to_status=end, acting_user=supervisor)
        campaign.refresh_from_db()
        assert campaign.status == start


def test_start_needs_a_vendor_account(startable, supervisor):
    campaign = CampaignFactory()
    with pytest.raises(ApplicationError, match="Choose a vendor account first"):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)


def test_start_needs_valid_vendor_settings(startable, accounts, supervisor):
    campaign = CampaignFactory(vendor_account=accounts["jtel"], vendor_settings={"userData": "x"})
    attach_callable_leads(campaign)
    with pytest.raises(ApplicationError, match="jtel settings are incomplete") as error:
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    assert "source" in error.value.extra["vendor_settings"]


@pytest.mark.parametrize("kind", ["acefone", "jtel"])
def test_start_pause_stop_change_the_status_where_the_vendor_has_no_start_call(
    accounts, supervisor, kind
):
    campaign = _campaign(accounts[kind])
    for status in ("active", "paused", "active", "stopped"):
        services.campaign_transition(campaign=campaign, to_status=status, acting_user=supervisor)
        campaign.refresh_from_db()
        assert campaign.status == status
    assert "Campaign stopped" in campaign.sync_jobs.get().reason


def test_start_is_not_available_yet_without_the_adapter(monkeypatch, accounts, supervisor):
    def missing(kind):
        raise ImportError(kind)

    monkeypatch.setattr("vendors.adapters.registry.adapter_class", missing)
    campaign = _campaign(accounts["ozonetel"])
    with pytest.raises(ApplicationError, match="Not available yet"):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)


def test_archive_needs_no_vendor(supervisor):
    campaign = CampaignFactory()
    services.campaign_transition(campaign=campaign, to_status="archived", acting_user=supervisor)
    campaign.refresh_from_db()
    assert campaign.status == "archived"
    with pytest.raises(ApplicationError, match="archived campaign cannot be changed"):
        services.campaign_update(campaign=campaign, fields={"name": "x"}, acting_user=supervisor)


def test_create_update_and_lead_list_order(accounts, supervisor):
    lists = LeadListFactory.create_batch(3)
    agents = AgentFactory.create_batch(2)
    campaign = services.campaign_create(
        fields={"name": "C", "vendor_account": accounts["jtel"]},
        vendor_settings=VALID_SETTINGS["jtel"],
        agents=agents,
        lead_lists=[
            services.LeadListLink(lists[2], True),
            services.LeadListLink(lists[0], False),
        ],
        acting_user=supervisor,
    )
    assert campaign.created_by == supervisor
    assert [(link.lead_list, link.active) for link in campaign.list_links.all()] == [
        (lists[2], True),
        (lists[0], False),
    ]
    services.campaign_update(
        campaign=campaign,
        fields={},
        lead_lists=[services.LeadListLink(lists[0], True), services.LeadListLink(lists[1], True)],
        acting_user=supervisor,
    )
    assert [link.lead_list for link in campaign.list_links.all()] == [lists[0], lists[1]]
    with pytest.raises(ApplicationError, match="in the campaign twice"):
        services.campaign_update(
            campaign=campaign,
            fields={},
            lead_lists=[services.LeadListLink(lists[0]), services.LeadListLink(lists[0])],
            acting_user=supervisor,
        )


def test_lead_list_attach_appends_and_detach_removes(supervisor):
    campaign = CampaignFactory()
    first, second = LeadListFactory.create_batch(2)
    services.campaign_lead_list_attach(campaign=campaign, lead_list=first, acting_user=supervisor)
    link = services.campaign_lead_list_attach(
        campaign=campaign, lead_list=second, active=False, acting_user=supervisor
    )
    assert link.position == 1 and not link.active
    services.campaign_lead_list_detach(campaign=campaign, lead_list=first, acting_user=supervisor)
    assert list(campaign.lead_lists.all()) == [second]


def test_vendor_account_is_fixed_once_out_of_draft(startable, accounts, supervisor):
    campaign = _campaign(accounts["jtel"], CampaignStatus.PAUSED)
    with pytest.raises(ApplicationError, match="only be changed while the campaign is a draft"):
        services.campaign_update(
            campaign=campaign,
            fields={"vendor_account": accounts["acefone"]},
            acting_user=supervisor,
        )


def test_changing_the_account_of_a_draft_clears_the_old_vendors_settings(accounts, supervisor):
    campaign = _campaign(accounts["jtel"])
    services.campaign_update(
        campaign=campaign, fields={"vendor_account": accounts["ozonetel"]}, acting_user=supervisor
    )
    campaign.refresh_from_db()
    assert campaign.vendor_settings == {}


def test_clone_is_a_draft_copy(startable, accounts, supervisor):
    source = _campaign(accounts["jtel"], CampaignStatus.ACTIVE, name="Original")
    source.agents.set(AgentFactory.create_batch(2))
    services.campaign_lead_list_attach(
        campaign=source, lead_list=LeadListFactory(), acting_user=supervisor
    )
    from results.models import RecycleRule

    RecycleRule.objects.create(campaign=source, match_kind="dialer", match_code="BUSY",
                               action="delay", delay_minutes=30, max_times=2)  # fmt: skip
    clone = services.campaign_clone(campaign=source, acting_user=supervisor)
    assert clone.pk != source.pk
    assert list(clone.recycle_rules.values_list("match_code", "delay_minutes", "max_times")) == [
        ("BUSY", 30, 2)
    ]
    assert clone.name == "Copy of Original"
    assert clone.status == CampaignStatus.DRAFT
    assert clone.vendor_settings == source.vendor_settings
    assert set(clone.agents.all()) == set(source.agents.all())
    assert list(clone.lead_lists.all()) == list(source.lead_lists.all())


def test_only_a_draft_is_deleted(supervisor):
    draft, stopped = CampaignFactory(), CampaignFactory(status="stopped")
    services.campaign_delete(campaign=draft)
    with pytest.raises(ApplicationError, match="archive this campaign instead"):
        services.campaign_delete(campaign=stopped)
    assert list(Campaign.objects.all()) == [stopped]


def test_disposition_codes_are_replaced_in_order_and_unique():
    row = {"is_final": False, "is_success": False, "is_callback": False, "is_do_not_call": False}
    saved = services.disposition_list_save(
        fields={"name": "Outcomes"},
        codes=[{"code": "B", "label": "b", **row}, {"code": "A", "label": "a", **row}],
    )
    assert list(saved.codes.values_list("code", flat=True)) == ["B", "A"]
    with pytest.raises(ApplicationError, match="repeated: A"):
        services.disposition_list_save(
            disposition_list=saved,
            fields={},
            codes=[{"code": "A", "label": "a", **row}, {"code": "A", "label": "b", **row}],
        )
    assert saved.codes.count() == 2


def test_a_list_in_use_is_not_deleted(supervisor):
    used = DispositionListFactory()
    CampaignFactory(disposition_list=used)
    with pytest.raises(ApplicationError, match="used by 1 campaign"):
        services.disposition_list_delete(disposition_list=used)


def test_calling_window_rules():
    with pytest.raises(ApplicationError, match="one row only"):
        services.calling_window_save(
            fields={"name": "W"},
            days=[
                {"weekday": 0, "start": datetime.time(8), "end": datetime.time(21)},
                {"weekday": 0, "start": datetime.time(9), "end": datetime.time(20)},
            ],
            holidays=[],
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Unknown time zone"):
        services.calling_window_save(
            fields={"name": "W", "timezone_policy": "fixed", "fixed_timezone": "Mars/Olympus"},
            days=[],
            holidays=[],
        )
    window = services.calling_window_save(
        fields={"name": "W", "timezone_policy": "fixed", "fixed_timezone": "Europe/Berlin"},
        days=[{"weekday": 5, "start": datetime.time(10), "end": datetime.time(14)}],
        holidays=[{"date": datetime.date(2026, 12, 25), "label": "Christmas"}],
    )
    assert window.days.get().weekday == 5
    assert window.holidays.get().label == "Christmas"


def test_agent_remote_ids(accounts):
    agent = services.agent_save(
        fields={"name": "Asha", "mobile": "+14155550101"},
        remote_ids={accounts["acefone"]: "5101", accounts["voicenter"]: "SIP1"},
    )
    services.agent_save(agent=agent, fields={}, remote_ids={accounts["voicenter"]: ""})
    assert list(agent.remote_ids.values_list("remote_id", flat=True)) == ["5101"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="international form"):
        services.agent_save(fields={"name": "Bad", "mobile": "0155 555"})


def test_a_status_change_on_a_vendor_without_a_start_call_sends_nothing_and_succeeds(
    emulated_account, supervisor
):
    from sync.models import JobState
    from tests.sync.conftest import run_jobs

    account, _ = emulated_account("acefone")
    campaign = campaign_as_spec(
        CampaignFactory(
            vendor_account=account,
            # Its leads go to one of the emulator's lead lists.
            vendor_settings={
                **VALID_SETTINGS["acefone"],
                "lead_list_map": [{"list_id": 101, "list_status": 1}],
            },
        )
    )
    attach_callable_leads(campaign)
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    job = campaign.sync_jobs.get()
    assert job.state == JobState.DONE and not job.needs_attention, job.last_error
    assert "Start and stop the campaign in Acefone's dashboard." in job.last_error
    assert campaign.sync_remote.state == "in_sync"
