"""Big bulk actions in the pages and the API: above LEADS_BULK_INLINE_MAX the confirm
queues a run and goes to its progress page (polled with HTMX), which ends with the
counts and the skip reasons; the API answers 202 with the run's URL. And one lead's
"Remove from list", which is the bulk delete with its one id."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import CampaignLeadList, CampaignStatus
from leads.models import Lead, LeadBulkRun, LeadStatus
from leads.services import bulk_runs
from sync.models import LeadSync, LeadSyncState, Operation, SyncJob
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sent(monkeypatch, settings):
    settings.LEADS_BULK_INLINE_MAX = 3
    ids = []
    monkeypatch.setattr("leads.tasks.lead_bulk_run.delay_on_commit", ids.append)
    return ids


@pytest.fixture
def own_list(team_lead):
    lead_list = LeadListFactory(team=team_lead.team, name="Own list")
    for n in range(4):
        LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}")
    LeadFactory(lead_list=lead_list, phone="+12125559999", status=LeadStatus.DONE)
    return lead_list


def _confirm(client, lead_list, **extra):
    data = {"action": "dnc", "scope": "filter", "confirmed": "1", **extra}
    return client.post(reverse("leads:bulk", args=[lead_list.pk]), data)


def test_the_confirmation_says_a_big_selection_runs_in_the_background(
    team_lead_client, own_list, sent
):
    url = reverse("leads:bulk", args=[own_list.pk])
    html = team_lead_client.post(url, {"action": "dnc", "scope": "filter"}).content.decode()
    assert "data-bulk-background>More than 3 leads are handled by a worker" in html
    small = team_lead_client.post(url, {"action": "dnc", "scope": "filter", "status": "done"})
    assert "data-bulk-background" not in small.content.decode()


def test_above_the_threshold_the_confirm_goes_to_the_progress_page(
    team_lead_client, own_list, sent
):
    response = _confirm(team_lead_client, own_list)
    run = LeadBulkRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:bulk-run", args=[run.pk])
    assert sent == [run.pk] and run.selected_count == 5
    assert Lead.objects.filter(status=LeadStatus.DNC).count() == 0  # left to the worker

    page = team_lead_client.get(response["Location"]).content.decode()
    assert 'data-run-state="queued"' in page
    assert reverse("leads:bulk-run-progress", args=[run.pk]) in page  # it polls
    assert "0 of 5 leads handled so far" in page


def test_the_progress_fragment_stops_polling_and_shows_counts_and_reasons(
    team_lead_client, own_list, sent
):
    _confirm(team_lead_client, own_list)
    run = LeadBulkRun.objects.get()
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    url = reverse("leads:bulk-run-progress", args=[run.pk])
    fragment = team_lead_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="bulk-run-status" data-run-state="done"')
    assert "hx-get" not in fragment  # polling stops itself
    assert 'data-count="processed">5<' in fragment
    assert 'data-count="done">4<' in fragment
    assert 'data-count="skipped">1<' in fragment
    assert 'data-skipped="done (final disposition)">1<' in fragment
    assert 'data-count="campaigns_synced">0<' in fragment


def test_small_selections_stay_inline(team_lead_client, own_list, sent):
    response = _confirm(team_lead_client, own_list, status="done")
    assert response["Location"].startswith(reverse("leads:detail", args=[own_list.pk]))
    assert not LeadBulkRun.objects.exists() and sent == []


def test_another_teams_run_is_not_found(client, team_lead_client, own_list, sent):
    _confirm(team_lead_client, own_list)
    run = LeadBulkRun.objects.get()
    client.force_login(UserFactory(role="Team lead", with_team=True))
    assert client.get(reverse("leads:bulk-run", args=[run.pk])).status_code == 404
    assert client.get(reverse("leads:bulk-run-progress", args=[run.pk])).status_code == 404


# --- the API ---------------------------------------------------------------------------


def test_the_api_answers_202_with_the_run_and_the_run_reads_back(
    api_client, team_lead, own_list, sent
):
    api_client.force_authenticate(team_lead)
    url = reverse("api-lead-list-leads-actions", args=[own_list.pk])
    response = api_client.post(url, {"action": "dnc", "filter": {}}, format="json")
    assert response.status_code == 202
    body = response.json()
    run = LeadBulkRun.objects.get()
    run_url = "http://testserver" + reverse("api-lead-bulk-run", args=[run.pk])
    assert body["url"] == response["Location"] == run_url
    assert (body["state"], body["selected_count"], body["processed"]) == ("queued", 5, 0)

    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    body = api_client.get(run_url).json()
    assert body["state"] == "done"
    assert (body["done_count"], body["skipped_count"], body["processed"]) == (4, 1, 5)
    assert body["skipped_reasons"] == [{"reason": "done (final disposition)", "count": 1}]


def test_the_campaign_endpoint_queues_too_and_small_ones_answer_200(
    api_client, team_lead, own_list, sent
):
    campaign = CampaignFactory(team=team_lead.team, status=CampaignStatus.ACTIVE)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=own_list, position=0)
    api_client.force_authenticate(team_lead)
    url = reverse("api-campaign-leads-actions", args=[campaign.pk])
    assert api_client.post(url, {"action": "dnc", "filter": {}}, format="json").status_code == 202
    run = LeadBulkRun.objects.get()
    assert (run.source, run.campaign_id, run.team_id) == ("campaign", campaign.pk, own_list.team_id)
    ids = list(Lead.objects.filter(lead_list=own_list).values_list("pk", flat=True)[:2])
    small = api_client.post(url, {"action": "dnc", "ids": ids}, format="json")
    assert small.status_code == 200 and small.json()["done"] == 2


def test_another_teams_run_is_404_in_the_api(api_client, team_lead, own_list, sent):
    api_client.force_authenticate(team_lead)
    url = reverse("api-lead-list-leads-actions", args=[own_list.pk])
    api_client.post(url, {"action": "dnc", "filter": {}}, format="json")
    run = LeadBulkRun.objects.get()
    api_client.force_authenticate(UserFactory(role="API consumer", with_team=True))
    assert api_client.get(reverse("api-lead-bulk-run", args=[run.pk])).status_code == 404


def test_the_run_endpoint_and_the_202_are_documented(client, supervisor):
    client.force_login(supervisor)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/lead-action-runs/{id}/"]["get"]
    assert operation["summary"] and len(operation["description"]) > 100
    for path in ("/api/v1/lead-lists/{id}/leads/actions/", "/api/v1/campaigns/{id}/leads/actions/"):
        post = schema["paths"][path]["post"]
        assert {"200", "202"} <= set(post["responses"]), path
        assert "202" in post["description"]


# --- one lead's "Remove from list" ------------------------------------------------------


def _pushed_lead(lead_list):
    campaign = CampaignFactory(
        team=lead_list.team,
        status=CampaignStatus.ACTIVE,
        vendor_account=VendorAccountFactory(kind="acefone"),
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, position=0)
    lead = Lead.objects.filter(lead_list=lead_list).order_by("pk").first()
    LeadSync.objects.create(campaign=campaign, lead=lead, state=LeadSyncState.PUSHED)
    return campaign, lead


def test_the_lead_page_offers_remove_and_asks_first(team_lead_client, own_list):
    lead = Lead.objects.filter(lead_list=own_list).first()
    remove_url = reverse("leads:lead-remove", args=[lead.pk])
    assert (
        remove_url in team_lead_client.get(reverse("leads:lead", args=[lead.pk])).content.decode()
    )
    page = team_lead_client.get(remove_url)
    assert page.status_code == 200 and "Remove the lead" in page.content.decode()
    assert "No dialer holds it: it is deleted for good" in page.content.decode()
    assert Lead.objects.filter(pk=lead.pk).exists()  # asking changes nothing


def test_removing_a_lead_no_dialer_holds_deletes_it(team_lead_client, own_list):
    lead = Lead.objects.filter(lead_list=own_list).first()
    response = team_lead_client.post(reverse("leads:lead-remove", args=[lead.pk]))
    assert response["Location"] == reverse("leads:detail", args=[own_list.pk])
    assert not Lead.objects.filter(pk=lead.pk).exists()
    own_list.refresh_from_db()
    assert own_list.total_count == 4


def test_removing_a_lead_a_dialer_holds_keeps_it_removed_with_one_sync_job(
    team_lead_client, own_list
):
    campaign, lead = _pushed_lead(own_list)
    page = team_lead_client.get(reverse("leads:lead-remove", args=[lead.pk])).content.decode()
    assert "A dialer holds it: it stays as Removed" in page
    response = team_lead_client.post(reverse("leads:lead-remove", args=[lead.pk]))
    assert response["Location"] == reverse("leads:lead", args=[lead.pk])
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REMOVED
    jobs = SyncJob.objects.filter(campaign=campaign, operation=Operation.CAMPAIGN_SYNC)
    assert jobs.count() == 1
    # Removed already: the page no longer offers it.
    html = team_lead_client.get(reverse("leads:lead", args=[lead.pk])).content.decode()
    assert reverse("leads:lead-remove", args=[lead.pk]) not in html


def test_only_roles_that_delete_leads_see_or_use_remove(client, own_list):
    lead = Lead.objects.filter(lead_list=own_list).first()
    consumer = UserFactory(role="API consumer", team=own_list.team)
    client.force_login(consumer)
    remove_url = reverse("leads:lead-remove", args=[lead.pk])
    assert remove_url not in client.get(reverse("leads:lead", args=[lead.pk])).content.decode()
    assert client.post(remove_url).status_code == 403
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_another_teams_lead_cannot_be_removed(team_lead_client):
    other = LeadListFactory(name="Theirs")
    lead = LeadFactory(lead_list=other)
    assert team_lead_client.post(reverse("leads:lead-remove", args=[lead.pk])).status_code == 404
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_the_campaign_leads_page_queues_a_big_selection_too(team_lead_client, own_list, sent):
    campaign = CampaignFactory(team=own_list.team, status=CampaignStatus.ACTIVE)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=own_list, position=0)
    url = reverse("campaigns:leads-bulk", args=[campaign.pk])
    response = team_lead_client.post(url, {"action": "delete", "scope": "filter", "confirmed": "1"})
    run = LeadBulkRun.objects.get()
    assert response["Location"] == reverse("leads:bulk-run", args=[run.pk])
    assert (run.source, run.selected_count, run.filters) == ("campaign", 5, {})
    bulk_runs.lead_bulk_run_execute(run_id=run.pk)
    page = team_lead_client.get(response["Location"]).content.decode()
    assert 'data-count="done">5<' in page
    assert reverse("campaigns:leads", args=[campaign.pk]) in page  # back to where it began
    assert Lead.objects.filter(lead_list=own_list).count() == 0
