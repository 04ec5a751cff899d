"""A lead's page and endpoint (issue 16, feature 1): its list and campaigns, its state on
each dialer, its outcomes, its DNC status, its history and the actions the user's role
allows; 404 for a lead of another team; a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignLeadList, LeadDisposition
from leads.models import DncEntry, Lead, LeadStatus
from sync.models import CampaignRemote, LeadSync, SyncJob
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import (
    CampaignFactory,
    VendorAccountFactory,
    disposition_list_with_codes,
)
from tests.leads.factories import DncEntryFactory, ImportJobFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    lead: Lead
    foreign: Lead  # a South lead
    campaign: object  # North's Webitel campaign dialling the lead's list
    south_campaign: object  # South's, linked to North's list before that was refused
    team_lead: object
    supervisor: object


def _outcome(campaign, lead, code="NA", label="No answer", **flags):
    return LeadDisposition.objects.create(
        campaign=campaign, lead=lead, code=code, label=label, **flags
    )


@pytest.fixture
def world() -> World:
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    supervisor = UserFactory(role="Supervisor")
    lead_list = LeadListFactory(team=north, name="North prospects")
    job = ImportJobFactory(lead_list=lead_list, original_name="spring.csv", created_by=supervisor)
    lead = LeadFactory(
        lead_list=lead_list,
        phone="+12125550100",
        first_name="Ada",
        last_name="Lovelace",
        import_job=job,
        source_row=7,
    )
    account = VendorAccountFactory(kind="webitel")
    campaign = CampaignFactory(
        name="Spring calls",
        team=north,
        vendor_account=account,
        status="active",
        disposition_list=disposition_list_with_codes(),
    )
    south_campaign = CampaignFactory(name="South secret", team=south, vendor_account=account)
    for each in (campaign, south_campaign):
        CampaignLeadList.objects.create(campaign=each, lead_list=lead_list)
    CampaignRemote.objects.create(campaign=campaign, state="in_sync")
    pushed_at = timezone.now() - datetime.timedelta(hours=2)
    LeadSync.objects.create(
        campaign=campaign, lead=lead, state="pushed", remote_id="m-77", attempts=1,
        pushed_at=pushed_at,
    )  # fmt: skip
    LeadSync.objects.create(campaign=south_campaign, lead=lead, state="failed", reason="South")
    _outcome(campaign, lead, note="rang out")
    _outcome(south_campaign, lead, code="SOUTHCODE", label="South only")
    SyncJob.objects.create(
        account=account, operation="lead_call_result", campaign=campaign, lead_id=lead.pk,
        not_before=timezone.now(), state="done",
    )  # fmt: skip
    SyncJob.objects.create(
        account=account, operation="lead_remove", campaign=south_campaign, lead_id=lead.pk,
        not_before=timezone.now(), last_error="SOUTHJOB",
    )  # fmt: skip
    past = timezone.now() - datetime.timedelta(days=1)
    DncEntryFactory(phone=lead.phone, scope="list", lead_list=lead_list, expires_at=past,
                    reason="Asked last year")  # fmt: skip
    DncEntryFactory(phone=lead.phone, scope="campaign", campaign_id=south_campaign.pk,
                    reason="SOUTHDNC")  # fmt: skip
    DncEntryFactory(phone="+12125550199", scope="everywhere", reason="Another number")
    foreign = LeadFactory(lead_list=LeadListFactory(team=south), phone="+12125550100")
    team_lead = UserFactory(role="Team lead", team=north)
    return World(lead, foreign, campaign, south_campaign, team_lead, supervisor)


def _page(client, user, lead) -> str:
    client.force_login(user)
    response = client.get(reverse("leads:lead", args=[lead.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_list_campaign_dialer_state_outcome_dnc_and_history(world, client):
    html = _page(client, world.team_lead, world.lead)
    assert "Ada Lovelace" in html and "North prospects" in html
    assert "Spring calls" in html and 'data-lead-sync="pushed"' in html and "m-77" in html
    assert "Campaign sync: In sync" in html
    assert 'data-outcome="NA"' in html and "rang out" in html
    assert 'data-dnc-status="clear"' in html and "Asked last year" in html and "Expired" in html
    assert "Another number" not in html  # a listing of another number
    assert "Created by the import of “spring.csv”" in html and "row 7" in html
    assert 'data-history="outcome"' in html and 'data-history="pushed"' in html
    assert 'data-history="sync_job"' in html and "Send a call result" in html
    assert reverse("leads:import-detail", args=[world.lead.import_job_id]) in html


def test_a_team_lead_sees_nothing_of_another_teams_campaign(world, client):
    html = _page(client, world.team_lead, world.lead)
    for secret in ("South secret", "SOUTHCODE", "SOUTHJOB", "SOUTHDNC", 'data-lead-sync="failed"'):
        assert secret not in html, secret


def test_a_supervisor_sees_every_campaign_dialling_the_list(world, client):
    html = _page(client, world.supervisor, world.lead)
    assert "South secret" in html and "SOUTHCODE" in html and "SOUTHDNC" in html
    assert 'data-dnc-status="listed"' in html  # the South campaign's listing applies


def test_another_teams_lead_is_a_branded_404_by_every_door(world, client, api_client, settings):
    settings.DEBUG = True
    client.force_login(world.team_lead)
    response = client.get(reverse("leads:lead", args=[world.foreign.pk]))
    assert response.status_code == 404 and "404 · Not found" in response.content.decode()
    api_client.force_authenticate(world.team_lead)
    assert api_client.get(reverse("api-lead", args=[world.foreign.pk])).status_code == 404
    for url in (reverse("campaigns:lead-disposition", args=[world.campaign.pk, world.foreign.pk]),):
        client.post(url, {"code": "NA"})
    assert not LeadDisposition.objects.filter(lead=world.foreign).exists()


def test_the_actions_follow_the_role(world, client):
    disposition_url = reverse("campaigns:lead-disposition", args=[world.campaign.pk, world.lead.pk])
    terminate_url = reverse("sync:lead-terminate", args=[world.campaign.pk, world.lead.pk])
    dnc_form = f'action="{reverse("dnc:add")}"'
    supervisor = _page(client, world.supervisor, world.lead)
    assert disposition_url in supervisor and terminate_url in supervisor
    assert '<option value="everywhere">' in supervisor and dnc_form in supervisor
    team_lead = _page(client, world.team_lead, world.lead)
    assert disposition_url not in team_lead and terminate_url not in team_lead
    assert dnc_form in team_lead and 'value="everywhere"' not in team_lead
    consumer = _page(client, UserFactory(role="API consumer", team=world.lead.lead_list.team),
                     world.lead)  # fmt: skip
    assert disposition_url not in consumer and dnc_form not in consumer


def test_a_lead_not_dialled_offers_no_outcome(world, client):
    Lead.objects.filter(pk=world.lead.pk).update(status=LeadStatus.DNC)
    html = _page(client, world.supervisor, world.lead)
    assert "Not dialled: the number is on the do-not-call list." in html
    assert 'name="code"' not in html


def test_recording_an_outcome_from_the_page_comes_back_to_it(world, client):
    client.force_login(world.supervisor)
    url = reverse("leads:lead", args=[world.lead.pk])
    response = client.post(
        reverse("campaigns:lead-disposition", args=[world.campaign.pk, world.lead.pk]),
        {"code": "SALE", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert 'data-outcome="SALE"' in html and "Done for this campaign" in html


def test_marking_dnc_from_the_page_lists_the_number_on_its_list(world, client):
    client.force_login(world.team_lead)
    lead = world.lead
    response = client.post(
        reverse("dnc:add"),
        {"numbers": lead.phone, "country": "US", "scope": "list",
         "lead_list": lead.lead_list_id, "reason": "Asked again"},
    )  # fmt: skip
    assert response.status_code == 200
    assert DncEntry.objects.filter(
        phone=lead.phone, scope="list", lead_list=lead.lead_list, expires_at__isnull=True
    ).exists()
    html = _page(client, world.team_lead, lead)
    assert 'data-dnc-status="listed"' in html and "Asked again" in html


def test_the_page_costs_the_same_queries_however_much_the_lead_holds(
    world, client, django_assert_num_queries
):
    client.force_login(world.supervisor)
    url = reverse("leads:lead", args=[world.lead.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        campaign = CampaignFactory(
            team=world.lead.lead_list.team,
            vendor_account=world.campaign.vendor_account,
            disposition_list=disposition_list_with_codes(f"Codes {n}"),
        )
        CampaignLeadList.objects.create(campaign=campaign, lead_list=world.lead.lead_list)
        CampaignRemote.objects.create(campaign=campaign, state="in_sync")
        LeadSync.objects.create(campaign=campaign, lead=world.lead, state="pushed", remote_id=n)
        _outcome(campaign, world.lead)
        DncEntryFactory(phone=world.lead.phone, scope="campaign", campaign_id=campaign.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("data-campaign=") == 6


# --- the API ---------------------------------------------------------------------------


def test_the_api_gives_the_same_content_within_the_team(world, api_client):
    api_client.force_authenticate(world.team_lead)
    body = api_client.get(reverse("api-lead", args=[world.lead.pk])).json()
    assert body["lead"]["phone"] == "+12125550100"
    assert body["lead_list"]["name"] == "North prospects"
    assert [c["name"] for c in body["campaigns"]] == ["Spring calls"]
    campaign = body["campaigns"][0]
    assert campaign["lead_sync"]["state"] == "pushed"
    assert campaign["lead_sync"]["remote_id"] == "m-77"
    assert campaign["campaign_sync"]["state"] == "in_sync"
    assert campaign["latest_outcome"]["code"] == "NA"
    assert [o["code"] for o in body["outcomes"]] == ["NA"]
    assert body["dnc_listed"] is False
    assert [(d["scope"], d["expired"]) for d in body["dnc"]] == [("list", True)]
    assert [j["operation"] for j in body["sync_jobs"]] == ["lead_call_result"]
    assert {e["kind"] for e in body["history"]} >= {"created", "outcome", "pushed", "sync_job"}
    assert [a["name"] for a in body["actions"]] == ["remove", "dnc_add"]


def test_the_api_lists_a_supervisors_actions(world, api_client):
    api_client.force_authenticate(world.supervisor)
    body = api_client.get(reverse("api-lead", args=[world.lead.pk])).json()
    names = [(a["name"], a["campaign"]) for a in body["actions"]]
    assert ("record_outcome", world.campaign.pk) in names
    assert ("stop_dialling", world.campaign.pk) in names and ("dnc_add", None) in names
    assert body["dnc_listed"] is True


def test_the_api_refuses_unknown_query_parameters(world, api_client):
    api_client.force_authenticate(world.team_lead)
    response = api_client.get(reverse("api-lead", args=[world.lead.pk]), {"expand": "all"})
    assert response.status_code == 400
    assert "Unknown query parameter: expand" in response.json()["message"]


def test_both_endpoints_are_documented(client, supervisor):
    client.force_login(supervisor)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in ("/api/v1/leads/search/", "/api/v1/leads/{id}/"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and len(operation["description"]) > 100, path


def test_a_draft_campaign_offers_no_outcome(world, client, api_client):
    from campaigns.models import Campaign

    Campaign.objects.filter(pk=world.campaign.pk).update(status="draft")
    html = _page(client, world.supervisor, world.lead)
    assert "The campaign is draft: it has no calls to record an outcome for." in html
    assert 'name="code"' not in html
    api_client.force_authenticate(world.supervisor)
    body = api_client.get(reverse("api-lead", args=[world.lead.pk])).json()
    assert ("record_outcome", world.campaign.pk) not in [
        (a["name"], a["campaign"]) for a in body["actions"]
    ]
