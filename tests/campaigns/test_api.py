import pytest

from campaigns.models import Campaign
from tests.campaigns.factories import AgentFactory, CampaignFactory, LeadListFactory
from tests.campaigns.vendor_data import VALID_SETTINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_api(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def test_create_read_update_delete(supervisor_api, accounts):
    lead_list = LeadListFactory()
    agent = AgentFactory()
    created = supervisor_api.post(
        "/api/v1/campaigns/",
        {
            "name": "API campaign",
            "vendor_account": accounts["ozonetel"].pk,
            "agents": [agent.pk],
            "lead_lists": [{"lead_list": lead_list.pk, "active": False}],
            "vendor_settings": VALID_SETTINGS["ozonetel"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["sync"]["state"] == "draft" and body["sync"]["note"] == "not synced yet"
    assert body["sync"]["pending_calls"] is None and body["sync"]["last_synced_at"] is None
    assert body["lead_lists"] == [{"lead_list": lead_list.pk, "active": False}]
    url = f"/api/v1/campaigns/{body['id']}/"
    patched = supervisor_api.patch(url, {"name": "Renamed"}, format="json")
    assert patched.json()["name"] == "Renamed"
    assert patched.json()["vendor_settings"] == body["vendor_settings"]
    assert supervisor_api.get("/api/v1/campaigns/").json()["count"] == 1
    assert supervisor_api.delete(url).status_code == 204
    assert not Campaign.objects.exists()


def test_settings_without_an_account_are_refused(supervisor_api):
    response = supervisor_api.post(
        "/api/v1/campaigns/", {"name": "x", "vendor_settings": {"a": 1}}, format="json"
    )
    assert response.json() == {
        "vendor_settings": ["Choose a vendor account before giving its settings."]
    }


def test_actions_follow_the_same_rules(supervisor_api, accounts):
    campaign = CampaignFactory(
        vendor_account=accounts["jtel"], vendor_settings=VALID_SETTINGS["jtel"]
    )
    paused = supervisor_api.post(f"/api/v1/campaigns/{campaign.pk}/pause/")
    assert paused.status_code == 400
    assert paused.json()["message"] == "A campaign that is draft cannot become paused."
    clone = supervisor_api.post(f"/api/v1/campaigns/{campaign.pk}/clone/")
    assert clone.status_code == 201 and clone.json()["status"] == "draft"
    archived = supervisor_api.post(f"/api/v1/campaigns/{campaign.pk}/archive/")
    assert archived.json()["status"] == "archived"


def test_team_lead_reads_but_cannot_change(api_client, team_lead, accounts):
    api_client.force_authenticate(team_lead)
    campaign = CampaignFactory(team=team_lead.team)
    assert api_client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    assert api_client.patch(f"/api/v1/campaigns/{campaign.pk}/", {"name": "x"}).status_code == 403
    assert api_client.post("/api/v1/campaigns/", {"name": "x"}).status_code == 403
    assert api_client.post(f"/api/v1/campaigns/{campaign.pk}/archive/").status_code == 403
    assert api_client.delete(f"/api/v1/campaigns/{campaign.pk}/").status_code == 403
    assert api_client.get("/api/v1/agents/").status_code == 200
    assert api_client.post("/api/v1/agents/", {"name": "x"}).status_code == 403


def test_disposition_list_with_nested_codes(supervisor_api):
    created = supervisor_api.post(
        "/api/v1/disposition-lists/",
        {
            "name": "Outcomes",
            "codes": [
                {"code": "SALE", "label": "Sale", "is_final": True, "is_success": True},
                {
                    "code": "CB",
                    "label": "Call back",
                    "is_callback": True,
                    "retry_after_minutes": 60,
                },
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert [code["code"] for code in created.json()["codes"]] == ["SALE", "CB"]
    url = f"/api/v1/disposition-lists/{created.json()['id']}/"
    renamed = supervisor_api.patch(url, {"name": "Renamed"}, format="json")
    assert renamed.json()["name"] == "Renamed" and len(renamed.json()["codes"]) == 2
    duplicate = supervisor_api.put(
        url,
        {"name": "x", "codes": [{"code": "A", "label": "a"}, {"code": "A", "label": "b"}]},
        format="json",
    )
    assert duplicate.status_code == 400
    assert (
        duplicate.json()["message"] == "Each disposition short code may appear once; repeated: A."
    )


def test_pause_codes_calling_windows_and_agents(supervisor_api, accounts):
    pauses = supervisor_api.post(
        "/api/v1/pause-code-lists/",
        {"name": "Breaks", "codes": [{"code": "LUNCH", "label": "Lunch"}]},
        format="json",
    )
    assert pauses.status_code == 201, pauses.content
    window = supervisor_api.post(
        "/api/v1/calling-windows/",
        {
            "name": "Weekdays",
            "days": [{"weekday": day, "start": "08:00", "end": "21:00"} for day in range(5)],
            "holidays": [{"date": "2026-12-25", "label": "Christmas"}],
        },
        format="json",
    )
    assert window.status_code == 201, window.content
    assert window.json()["days"][0] == {"weekday": 0, "start": "08:00", "end": "21:00"}
    agent = supervisor_api.post(
        "/api/v1/agents/",
        {
            "name": "Asha",
            "mobile": "+14155550101",
            "remote_ids": [{"vendor_account": accounts["acefone"].pk, "remote_id": "5101"}],
        },
        format="json",
    )
    assert agent.status_code == 201, agent.content
    assert agent.json()["remote_ids"] == [
        {"vendor_account": accounts["acefone"].pk, "remote_id": "5101"}
    ]
    bad = supervisor_api.post("/api/v1/agents/", {"name": "B", "mobile": "12"}, format="json")
    assert bad.status_code == 400
    assert "international form" in str(bad.json())


def test_openapi_documents_each_vendors_settings(supervisor_client):
    schema = supervisor_client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name in (
        "AcefoneSettings",
        "VoicenterSettings",
        "WebitelSettings",
        "JtelSettings",
        "OzonetelSettings",
    ):
        assert name in components
    ring = components["AcefoneSettings"]["properties"]["ring_strategy"]
    assert ring["description"] == (
        "Ring strategy (1 = Random; 2 = Fewest Calls; 3 = Longest Wait Time)"
    )
    reference = ring.get("$ref") or ring["allOf"][0]["$ref"]
    assert components[reference.rsplit("/", 1)[1]]["enum"] == ["1", "2", "3"]
    # The fields the campaign sets (Acefone's field map) are named, not offered.
    assert "dial_method" not in components["AcefoneSettings"]["properties"]
    assert "dial_method ← dial_method" in components["AcefoneSettings"]["description"]
    # Webitel's own nested shape, without the derived keys.
    webitel = components["WebitelSettings"]["properties"]
    assert "parameters_minBillSec" not in webitel and "calendar" not in webitel
    parameters = components["WebitelParametersSettings"]["properties"]
    assert "minBillSec" in parameters and "maxTryCount" not in parameters
    vendor_settings = components["CampaignInputRequest"]["properties"]["vendor_settings"]
    assert vendor_settings == {"$ref": "#/components/schemas/VendorSettingsRequest"}
    one_of = str(components["VendorSettingsRequest"]["oneOf"])
    assert all(f"{vendor}SettingsRequest" in one_of for vendor in ("Acefone", "Webitel", "Jtel"))
    assert "auto_dial_duration" in components["AcefoneSettings"]["properties"]


def test_the_output_carries_the_real_sync_state(supervisor_api, accounts):
    import datetime

    from django.utils import timezone

    from sync.models import CampaignRemote

    campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
    synced = timezone.now() - datetime.timedelta(minutes=5)
    fetched = timezone.now() - datetime.timedelta(seconds=90)
    CampaignRemote.objects.create(
        campaign=campaign,
        state="out_of_sync",
        last_synced_at=synced,
        last_error="Webitel refused the credentials (401)",
        pending_calls=12,
        pending_fetched_at=fetched,
    )
    sync = supervisor_api.get(f"/api/v1/campaigns/{campaign.pk}/").json()["sync"]
    assert sync["state"] == "out_of_sync" and sync["label"] == "Out of sync"
    assert sync["last_error"] == "Webitel refused the credentials (401)"
    assert sync["pending_calls"] == 12 and 89 <= sync["pending_age_seconds"] <= 120
    assert sync["last_synced_at"].startswith(synced.strftime("%Y-%m-%dT%H:%M"))
    assert sync["note"] == ""
    listed = supervisor_api.get("/api/v1/campaigns/").json()["results"][0]["sync"]
    assert listed == sync | {"pending_age_seconds": listed["pending_age_seconds"]}


def test_the_list_reads_sync_state_in_a_fixed_number_of_queries(supervisor_api, accounts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sync.models import CampaignRemote

    def make(count):
        for _ in range(count):
            campaign = CampaignFactory(vendor_account=accounts["webitel"], status="active")
            CampaignRemote.objects.create(campaign=campaign, state="in_sync", pending_calls=3)

    make(2)
    supervisor_api.get("/api/v1/campaigns/")  # the user's permissions are cached after this
    with CaptureQueriesContext(connection) as few:
        supervisor_api.get("/api/v1/campaigns/")
    make(8)
    with CaptureQueriesContext(connection) as many:
        body = supervisor_api.get("/api/v1/campaigns/").json()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert [row["sync"]["pending_calls"] for row in body["results"]] == [3] * 10
