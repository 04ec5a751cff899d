"""One campaign, one truth (issue #12): each vendor's field map decides which documented
vendor fields the console campaign sets. Built once in the console, the dialer gets the
campaign's values; a change reaches it with one re-sync; the API refuses derived fields
and takes each vendor's own documented shape."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from campaigns import services
from campaigns.models import Campaign, ListRemoteId
from campaigns.spec import campaign_spec, field_map_for
from sync.models import CampaignRemote
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.sync.conftest import run_jobs
from tests.sync.factories import lead_list_with_leads
from tests.vendors.harness import load_harness
from vendors.adapters.types import RemoteRef

KINDS = ("acefone", "voicenter", "webitel", "jtel", "ozonetel")


@pytest.fixture
def supervisor_api(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


# --- what each emulator holds, in the vendor form's terms ----------------------------------


def _remote_id(campaign: Campaign) -> str:
    return RemoteRef.from_json(CampaignRemote.objects.get(campaign=campaign).remote_ref).remote_id


def held_by_dialer(kind: str, emulator, campaign: Campaign) -> dict[str, Any]:
    """The campaign as the emulator keeps it, keyed like the vendor's JSON."""
    remote_id = _remote_id(campaign)
    if kind == "acefone":
        return emulator.campaigns[remote_id]
    if kind == "webitel":
        return emulator.dialers[remote_id]
    if kind == "voicenter":
        return {"members": sorted(emulator.campaigns[remote_id].members)}
    if kind == "jtel":
        return {"destination": emulator.campaigns[int(remote_id)]["Name"]}
    control = emulator.campaigns[remote_id].settings
    return {
        "campaign_type": control["campaignType"],
        "did": control["did"],
        "runtime_start": control["runtimeStart"],
        "runtime_end": control["runtimeEnd"],
        "agent_id": ozonetel_agent_ids(emulator, remote_id),
    }


def ozonetel_agent_ids(emulator, remote_id: str) -> list[str]:
    """The agentId values of the leads the Ozonetel emulator holds (queued V4 rows too),
    each once, in the order pushed."""
    rows = [*emulator.campaigns[remote_id].rows]
    rows += [row for batch in emulator.queue if batch.campaign == remote_id for row in batch.rows]
    ids = (str(row.get("AgentId") or row.get("agentId") or "") for row in rows)
    return list(dict.fromkeys(one for one in ids if one))


def assert_dialer_holds_the_campaigns_values(kind, emulator, campaign) -> int:
    """Every derived field the dialer holds equals the campaign's; answers how many."""
    field_map = field_map_for(kind)
    spec = campaign_spec(campaign=Campaign.objects.get(pk=campaign.pk))
    held = held_by_dialer(kind, emulator, campaign)
    compared = 0
    for row in field_map.derived:
        wanted = row.value(spec)
        if wanted is None:
            continue
        got = field_map.stored_value(held, row)
        if isinstance(wanted, list):
            wanted, got = sorted(map(str, wanted)), sorted(map(str, got or []))
        assert got == wanted, (row.field, got, wanted)
        compared += 1
    return compared


# --- a campaign built once, in the console -------------------------------------------------


def build_in_console(kind: str, account, supervisor) -> Campaign:
    """Agents, lists and window with their ids on the account, then the campaign with
    the vendor's vendor-only settings: every value typed once."""
    spec = load_harness(kind).campaign_spec()
    agents = [
        services.agent_save(fields={"name": ref.name}, remote_ids={account: ref.remote_id})
        for ref in spec.agents
    ]
    fields = {
        "name": spec.name,
        "description": spec.description,
        "vendor_account": account,
        "dial_method": spec.dial_method or "progressive",
        "caller_id": spec.caller_id if spec.caller_id.startswith("+") else "+918040000000",
        "retry_count": spec.retry_count or 3,
        "retry_interval_minutes": spec.retry_interval_minutes or 60,
        "wrap_up_seconds": spec.wrap_up_seconds,
        "ring_timeout_seconds": spec.ring_timeout_seconds,
    }
    if spec.disposition_list is not None:
        fields["disposition_list"] = services.disposition_list_save(
            fields={"name": "Outcomes", "description": ""},
            codes=[{"code": "SALE", "label": "Sale", "is_final": True}],
            remote_ids={account: spec.disposition_list.remote_id},
        )
    if spec.calling_window is not None:
        days = [
            {"weekday": day, "start": datetime.time(9), "end": datetime.time(18)}
            for day in range(5)
        ]
        fields["calling_window"] = services.calling_window_save(
            fields={"name": spec.calling_window.name, "timezone_policy": "lead_local"},
            days=days,
            holidays=[],
            remote_ids={account: spec.calling_window.remote_id},
        )
    return services.campaign_create(
        fields=fields,
        vendor_settings=dict(spec.settings),
        agents=agents,
        lead_lists=[services.LeadListLink(lead_list_with_leads(2))],
        acting_user=supervisor,
    )


def _change(kind: str, campaign: Campaign, account, supervisor) -> dict[str, Any]:
    """Change what each vendor derives: retries, agents, the disposition list (Acefone),
    the window (Ozonetel), the name (jtel has no update call: see below)."""
    fields: dict[str, Any] = {"retry_count": 7}
    agents = None
    if kind in ("acefone", "voicenter", "webitel"):
        remote = {"acefone": "7003", "voicenter": "SIP1003", "webitel": "300"}[kind]
        agents = [services.agent_save(fields={"name": "Chen Li"}, remote_ids={account: remote})]
    if kind == "acefone":
        fields["disposition_list"] = services.disposition_list_save(
            fields={"name": "Second outcomes", "description": ""},
            codes=[{"code": "NI", "label": "Not interested", "is_final": True}],
            remote_ids={account: "13"},
        )
    if kind == "ozonetel":
        fields["dial_method"] = "preview"
    services.campaign_update(
        campaign=campaign, fields=fields, agents=agents, acting_user=supervisor
    )
    return fields


@pytest.mark.parametrize("kind", KINDS)
def test_the_dialer_gets_the_campaigns_values_and_follows_one_resync(
    kind, emulated_account, supervisor
):
    account, emulator = emulated_account(kind)
    campaign = build_in_console(kind, account, supervisor)
    assert field_map_for(kind).names.isdisjoint(campaign.vendor_settings)
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    assert CampaignRemote.objects.get(campaign=campaign).state == "in_sync"
    assert assert_dialer_holds_the_campaigns_values(kind, emulator, campaign) >= 1

    services.campaign_transition(campaign=campaign, to_status="paused", acting_user=supervisor)
    run_jobs()
    _change(kind, campaign, account, supervisor)
    run_jobs()
    if kind == "jtel":
        # jtel documents no call to change a campaign: only its creation carries values.
        return
    assert CampaignRemote.objects.get(campaign=campaign).state in ("in_sync", "paused")
    assert_dialer_holds_the_campaigns_values(kind, emulator, campaign)
    held = held_by_dialer(kind, emulator, campaign)
    if kind == "acefone":
        assert (held["number_of_retry"], held["disposition_list"]) == ("7", "13")
        assert held["agent"] == [7003]
    if kind == "webitel":
        assert (held["parameters"]["maxTryCount"], held["agents"]) == (7, ["300"])
    if kind == "voicenter":
        assert held["members"] == ["SIP1003"]
    if kind == "ozonetel":
        assert held["campaign_type"] == "Preview"


def test_ozonetel_leads_carry_the_campaigns_agents_and_follow_a_change(
    emulated_account, supervisor
):
    account, emulator = emulated_account("ozonetel")
    asha = services.agent_save(fields={"name": "Asha Rao"}, remote_ids={account: "asha"})
    ben = services.agent_save(fields={"name": "Ben Okafor"}, remote_ids={account: "ben"})
    campaign = build_in_console("ozonetel", account, supervisor)
    services.campaign_update(
        campaign=campaign, fields={}, agents=[asha, ben], acting_user=supervisor
    )
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    remote_id = _remote_id(campaign)
    assert sorted(ozonetel_agent_ids(emulator, remote_id)) == ["asha", "ben"]  # in turn
    assert {row.get("skill") for batch in emulator.queue for row in batch.rows} == {"sales"}

    services.campaign_transition(campaign=campaign, to_status="paused", acting_user=supervisor)
    run_jobs()
    carla = services.agent_save(fields={"name": "Carla Diaz"}, remote_ids={account: "carla"})
    new_list = lead_list_with_leads(2, phone_prefix="+9197654")
    services.campaign_update(
        campaign=campaign,
        fields={},
        agents=[carla],
        lead_lists=[
            *(services.LeadListLink(link.lead_list) for link in campaign.list_links.all()),
            services.LeadListLink(new_list),
        ],
        acting_user=supervisor,
    )
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    assert sorted(ozonetel_agent_ids(emulator, remote_id)) == ["asha", "ben", "carla"]
    new_phones = set(new_list.leads.values_list("phone", flat=True))
    pushed = [row for batch in emulator.queue for row in batch.rows]
    pushed += list(emulator.campaigns[remote_id].rows)
    new_rows = [row for row in pushed if f"+{row['PhoneNumber']}" in new_phones]
    assert len(new_rows) == 2
    assert {row.get("AgentId") or row.get("agentId") for row in new_rows} == {"carla"}


def test_an_ozonetel_agent_without_its_id_is_refused_before_sync(emulated_account, supervisor):
    from dialer_console.errors import ApplicationError

    account, _ = emulated_account("ozonetel")
    campaign = build_in_console("ozonetel", account, supervisor)
    asha = services.agent_save(fields={"name": "Asha Rao"})
    services.campaign_update(campaign=campaign, fields={}, agents=[asha], acting_user=supervisor)
    with pytest.raises(ApplicationError, match="Asha Rao has no Ozonetel agent id."):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)


def test_the_webitel_settings_check_compares_the_derived_values(emulated_account, supervisor):
    from sync.services.reconcile import _settings_drift
    from vendors.services import vendor_adapter

    account, emulator = emulated_account("webitel")
    campaign = build_in_console("webitel", account, supervisor)
    services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    run_jobs()
    adapter = vendor_adapter(account=account)
    ref = RemoteRef.from_json(CampaignRemote.objects.get(campaign=campaign).remote_ref)
    assert _settings_drift(adapter, campaign, ref) == []
    Campaign.objects.filter(pk=campaign.pk).update(retry_count=9)  # not yet synced
    campaign.refresh_from_db()
    assert [(d.name, d.console) for d in _settings_drift(adapter, campaign, ref)] == [
        ("parameters.maxTryCount", 9)
    ]


# --- refused before sync ----------------------------------------------------------------------


def test_a_dial_method_the_vendor_lacks_is_refused_at_save(accounts, supervisor):
    from dialer_console.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        services.campaign_create(
            fields={
                "name": "P",
                "vendor_account": accounts["acefone"],
                "dial_method": "progressive",
            },
            vendor_settings={},
            acting_user=supervisor,
        )
    assert refused.value.message == (
        "Acefone cannot dial “Progressive”: it documents only Preview and Ratio. "
        "Choose one of those dial methods."
    )
    assert refused.value.extra["field"] == "dial_method"
    assert not Campaign.objects.exists()


def test_an_agent_without_its_vendor_id_is_refused_before_sync(accounts, supervisor):
    from dialer_console.errors import ApplicationError

    account = accounts["acefone"]
    asha = services.agent_save(fields={"name": "Asha Rao"})
    campaign = build_in_console("acefone", account, supervisor)
    services.campaign_update(
        campaign=campaign, fields={}, agents=[*campaign.agents.all(), asha], acting_user=supervisor
    )  # a draft may lack ids: the page says what is still needed
    with pytest.raises(ApplicationError, match="Asha Rao has no Acefone agent id."):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)
    campaign.disposition_list.remote_ids.all().delete()
    with pytest.raises(ApplicationError, match="“Outcomes” has no Acefone id"):
        services.campaign_transition(campaign=campaign, to_status="active", acting_user=supervisor)


# --- the API -----------------------------------------------------------------------------------


def test_the_api_refuses_a_derived_field_naming_the_campaign_field(supervisor_api, accounts):
    response = supervisor_api.post(
        "/api/v1/campaigns/",
        {
            "name": "API",
            "dial_method": "ratio",
            "vendor_account": accounts["acefone"].pk,
            "vendor_settings": {**VALID_SETTINGS["acefone"], "number_of_retry": "5"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["vendor_settings"] == {
        "number_of_retry": [
            "Set by the campaign: give “retry_count” (Retry count) instead; "
            "Acefone gets the campaign's value."
        ]
    }


def test_the_api_refuses_ozonetels_agent_ids_and_its_old_mapping(supervisor_api, accounts):
    body = {
        "name": "API",
        "dial_method": "progressive",
        "vendor_account": accounts["ozonetel"].pk,
        "vendor_settings": {
            **VALID_SETTINGS["ozonetel"],
            "agent_id": ["asha"],
            "agent_skills": [{"agent_id": "asha", "skill": "sales"}],
        },
    }
    response = supervisor_api.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["vendor_settings"]
    assert errors["agent_id"] == [
        "Set by the campaign: give “agents” (Agents) instead; Ozonetel gets the campaign's value."
    ]
    assert "agent_skills" in errors
    body["vendor_settings"] = {**VALID_SETTINGS["ozonetel"], "skill": "sales", "skills": ["b"]}
    response = supervisor_api.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 201, response.json()
    stored = Campaign.objects.get(pk=response.json()["id"]).vendor_settings
    assert (stored["skill"], stored["skills"]) == ("sales", ["b"])
    assert "agent_id" not in stored


def test_the_api_refuses_webitels_nested_derived_field_and_flattened_names(
    supervisor_api, accounts
):
    body = {
        "name": "API",
        "dial_method": "predictive",
        "vendor_account": accounts["webitel"].pk,
        "vendor_settings": {
            "parameters": {"maxTryCount": 3, "minBillSec": 10},
            "parameters_minBillSec": 10,
        },
    }
    response = supervisor_api.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["vendor_settings"]
    assert errors["parameters.maxTryCount"][0].startswith("Set by the campaign: give “retry_count”")
    assert errors["parameters_minBillSec"] == [
        "Webitel documents no field “parameters_minBillSec”."
    ]


# The document's example body (webitel-dialer-v2.txt), less the fields the campaign sets
# (name, description, type, calendar, parameters.originateTimeout/maxTryCount/
# intervalTryCount/wrapUpTime, agents).
WEBITEL_DOCUMENT_BODY = {
    "priority": 1,
    "parameters": {
        "limit": 20,
        "minBillSec": 10,
        "predictAdjust": 150,
        "targetPredictiveSilentCalls": 2.5,
        "maxPredictiveSilentCalls": 3,
        "waitingForResultStatus": True,
        "recordSession": True,
        "eternalQueue": True,
        "retryAbandoned": False,
        "retriesByNumber": True,
        "oneDayTask": False,
    },
    "amd": {
        "enabled": True,
        "allowNotSure": True,
        "maximumWordLength": 5000,
        "maximumNumberOfWords": 3,
        "betweenWordsSilence": 50,
        "minWordLength": 100,
        "totalAnalysisTime": 5000,
        "silenceThreshold": 256,
        "afterGreetingSilence": 800,
        "greeting": 1500,
        "initialSilence": 2500,
    },
    "variables": {"myVar": "10"},
    "numberStrategy": "by-priority",
    "membersStrategy": "next-tries-circuit",
    "autoResetStats": True,
    "resources": [
        {
            "dialledNumber": r"^\+\d{8,11}$",
            "destinations": [
                {
                    "gwName": "testDialer",
                    "dialString": "0$1",
                    "gwProto": "sip",
                    "order": 0,
                    "limit": 10,
                    "enabled": True,
                    "callerIdNumber": "000000000",
                }
            ],
        }
    ],
    "agentParams": {
        "callTimeout": 20,
        "wrapUpTime": 40,
        "maxNoAnswer": 2,
        "busyDelayTime": 10,
        "rejectDelayTime": 10,
        "noAnswerDelayTime": 10,
    },
    "skills": ["english"],
    "agentStrategy": "longest_idle_agent",
    "communications": {
        "types": [
            {
                "name": "Personal",
                "code": "1",
                "ranges": [{"startTime": 540, "endTime": 1080, "attempts": 2, "priority": 10}],
            }
        ]
    },
}


def test_a_webitel_body_copied_from_the_document_validates_and_is_answered_alike(
    supervisor_api, accounts
):
    response = supervisor_api.post(
        "/api/v1/campaigns/",
        {
            "name": "From the document",
            "dial_method": "predictive",
            "vendor_account": accounts["webitel"].pk,
            "vendor_settings": WEBITEL_DOCUMENT_BODY,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    answered = response.json()["vendor_settings"]
    assert answered["parameters"] == WEBITEL_DOCUMENT_BODY["parameters"]
    assert answered["amd"] == WEBITEL_DOCUMENT_BODY["amd"]
    assert answered["agentParams"] == WEBITEL_DOCUMENT_BODY["agentParams"]
    assert answered["resources"] == WEBITEL_DOCUMENT_BODY["resources"]
    assert answered["agentStrategy"] == "longest-idle-agent"  # the table's name, stored


# --- list ids per account -----------------------------------------------------------------------


def test_a_lists_id_per_account_is_edited_on_its_page(supervisor_client, accounts):
    from django.urls import reverse

    dispositions = services.disposition_list_save(
        fields={"name": "Outcomes", "description": ""},
        codes=[{"code": "SALE", "label": "Sale", "is_final": True}],
    )
    url = reverse("campaigns:disposition-list-edit", args=[dispositions.pk])
    page = supervisor_client.get(url).content.decode()
    assert f"Id on {accounts['acefone']}" in page
    assert f"Id on {accounts['webitel']}" not in page  # Webitel keeps no disposition lists
    data = {
        "name": "Outcomes",
        "description": "",
        "codes-TOTAL": "1",
        "codes-0-code": "SALE",
        "codes-0-label": "Sale",
        "codes-0-is_final": "on",
        f"remote_id_{accounts['acefone'].pk}": "301",
    }
    assert supervisor_client.post(url, data).status_code == 302
    assert ListRemoteId.objects.get(disposition_list=dispositions).remote_id == "301"


# --- the page ------------------------------------------------------------------------------------


def test_changing_a_campaign_field_the_vendor_shows_reloads_its_fieldset(
    supervisor_client, accounts
):
    from django.urls import reverse

    data = {"name": "Page", "vendor_account": accounts["acefone"].pk, "dial_method": "ratio"}
    data |= {"retry_count": "6", "_field": "retry_count"}
    response = supervisor_client.post(
        reverse("campaigns:validate-field"), data, headers={"HX-Request": "true"}
    )
    assert response["HX-Trigger"] == "campaign-source-changed"
    fieldset = supervisor_client.post(reverse("campaigns:vendor-fieldset"), data).content
    html = fieldset.decode()
    assert '<span class="derived-value" id="id_vendor-number_of_retry"' in html
    assert 'aria-describedby="id_vendor-number_of_retry_source">6</span>' in html
    # A field no vendor field shows answers without the event.
    data["_field"] = "team"
    response = supervisor_client.post(
        reverse("campaigns:validate-field"), data, headers={"HX-Request": "true"}
    )
    assert "HX-Trigger" not in response
