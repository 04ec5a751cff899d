"""The #12 data migration: old vendor-settings values with a campaign equivalent move
into the campaign where the campaign's is unset; where both are set and differ the
campaign wins and the page says what the dialer had."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, ListRemoteId
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.vendor_data import VALID_SETTINGS

MIGRATION = import_module("campaigns.migrations.0006_vendor_settings_into_campaign")


def _migrate() -> None:
    MIGRATION.forwards(apps, None)


def test_values_move_where_the_campaign_has_none_and_the_campaign_wins_elsewhere(accounts):
    account = accounts["acefone"]
    asha = services.agent_save(fields={"name": "Asha Rao"}, remote_ids={account: "5101"})
    outcomes = services.disposition_list_save(
        fields={"name": "Outcomes", "description": ""},
        codes=[{"code": "SALE", "label": "Sale", "is_final": True}],
    )
    campaign = CampaignFactory(
        vendor_account=account,
        name="Spring",
        caller_id="",
        retry_count=3,
        disposition_list=outcomes,
        vendor_settings={
            "name": "Spring",  # the same: nothing to say
            "outbound_caller_id": "+918045678900",  # campaign unset: moves
            "number_of_retry": "5",  # both set, differ: the campaign wins
            "dial_method": "1",  # Preview, the campaign's Progressive wins
            "agent": [5101],  # no agents on the campaign: Asha by her Acefone id
            "disposition_list": "301",  # the campaign's list had no Acefone id: it gets it
            "dial_status": ["NEW"],  # vendor-only: stays
        },
    )
    _migrate()
    campaign.refresh_from_db()
    assert campaign.vendor_settings == {"dial_status": ["NEW"]}
    assert campaign.caller_id == "+918045678900"
    assert campaign.retry_count == 3
    assert list(campaign.agents.all()) == [asha]
    assert ListRemoteId.objects.get(
        disposition_list=outcomes, vendor_account=account
    ).remote_id == ("301")
    assert campaign.replaced_vendor_values == {
        "number_of_retry": {"source": "retry_count", "had": "5"},
        "dial_method": {"source": "dial_method", "had": "1"},
    }


def test_the_page_says_what_the_dialer_will_get_and_had(supervisor_client, accounts):
    campaign = CampaignFactory(
        vendor_account=accounts["webitel"],
        retry_count=3,
        dial_method="predictive",
        vendor_settings={"parameters": {"maxTryCount": 8, "limit": 20}, "priority": 1},
    )
    _migrate()
    campaign.refresh_from_db()
    assert campaign.vendor_settings == {"parameters": {"limit": 20}, "priority": 1}
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert (
        "Maximum attempts: the dialer will get 3 (the campaign&#x27;s Retry count) at the next "
        "sync (it had 8)."
    ) in html


def test_the_next_sync_clears_the_note(emulated_account, supervisor):
    from tests.campaigns.factories import attach_callable_leads, campaign_as_spec
    from tests.sync.conftest import run_jobs

    account, _ = emulated_account("webitel")
    campaign = campaign_as_spec(CampaignFactory(vendor_account=account, vendor_settings={}))
    attach_callable_leads(campaign)
    settings = {**VALID_SETTINGS["webitel"], "parameters": {"maxTryCount": 8}}
    Campaign.objects.filter(pk=campaign.pk).update(vendor_settings=settings)
    _migrate()
    campaign.refresh_from_db()
    assert set(campaign.replaced_vendor_values) == {"parameters_maxTryCount"}
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    campaign.refresh_from_db()
    assert campaign.replaced_vendor_values == {}


def test_campaigns_without_a_vendor_are_left_alone(accounts):
    campaign = CampaignFactory(vendor_settings={})
    _migrate()
    campaign.refresh_from_db()
    assert campaign.vendor_settings == {} and campaign.replaced_vendor_values == {}


OZONETEL_MIGRATION = import_module("campaigns.migrations.0007_ozonetel_agents_into_campaign")


def test_ozonetel_agent_ids_move_into_the_campaign_and_skills_stay(accounts):
    account = accounts["ozonetel"]
    asha = services.agent_save(fields={"name": "Asha Rao"}, remote_ids={account: "asha"})
    ben = services.agent_save(fields={"name": "Ben Okafor"}, remote_ids={account: "ben"})
    services.agent_save(fields={"name": "Carla Diaz"}, remote_ids={accounts["webitel"]: "dora"})
    campaign = CampaignFactory(
        vendor_account=account,
        vendor_settings={
            **VALID_SETTINGS["ozonetel"],
            "agent_skills": [
                {"agent_id": "asha", "skill": "sales"},
                {"agent_id": "ben", "skill": "sales"},
                {"agent_id": "", "skill": "support"},
            ],
        },
    )
    OZONETEL_MIGRATION.forwards(apps, None)
    campaign.refresh_from_db()
    assert set(campaign.agents.all()) == {asha, ben}
    assert campaign.vendor_settings == {
        **VALID_SETTINGS["ozonetel"],
        "skill": "sales",
        "skills": ["support"],
    }
    assert campaign.replaced_vendor_values == {}


def test_ozonetel_agents_the_campaign_has_win_and_the_page_says_what_the_dialer_had(
    supervisor_client, accounts
):
    account = accounts["ozonetel"]
    asha = services.agent_save(fields={"name": "Asha Rao"}, remote_ids={account: "asha"})
    campaign = CampaignFactory(
        vendor_account=account,
        vendor_settings={
            **VALID_SETTINGS["ozonetel"],
            "agent_skills": [{"agent_id": "ben", "skill": ""}],  # no Agent "ben" on the account
        },
    )
    campaign.agents.add(asha)
    OZONETEL_MIGRATION.forwards(apps, None)
    campaign.refresh_from_db()
    assert list(campaign.agents.all()) == [asha]
    assert campaign.vendor_settings == VALID_SETTINGS["ozonetel"]
    assert campaign.replaced_vendor_values == {"agent_id": {"source": "agents", "had": ["ben"]}}
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert (
        "Agents: the dialer will get Asha Rao (id asha) (the campaign&#x27;s Agents) at the next "
        "sync (it had ben)."
    ) in html


def test_ozonetel_agent_ids_without_an_agent_are_kept_as_what_the_dialer_had(accounts):
    campaign = CampaignFactory(
        vendor_account=accounts["ozonetel"],
        vendor_settings={
            **VALID_SETTINGS["ozonetel"],
            "agent_skills": [
                {"agent_id": "zed", "skill": "sales"},
                {"agent_id": "yan", "skill": "billing"},
            ],
        },
    )
    OZONETEL_MIGRATION.forwards(apps, None)
    campaign.refresh_from_db()
    assert not campaign.agents.exists()
    assert campaign.vendor_settings == {**VALID_SETTINGS["ozonetel"], "skill": "sales"}
    assert campaign.replaced_vendor_values["agent_id"] == {
        "source": "agents",
        "had": ["zed", "yan"],
    }
    assert campaign.replaced_vendor_values["agent_skills"]["had"][1]["skill"] == "billing"
