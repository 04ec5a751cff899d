"""The pages: each lead's attempts, last result, next attempt and done on the lead page
and the campaign's Leads page, "unknown" with the reason where the vendor does not say;
the vendor account page's result fields and its receiving endpoint."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from results.models import LeadResult
from sync.models import CampaignRemote
from sync.services.hooks import campaign_sync_enqueue
from sync.services.results import results_pull_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.models import VendorAccount


@pytest.fixture
def acefone_pulled(emulated_account):
    account, emulator = emulated_account("acefone")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    ref = CampaignRemote.objects.get(campaign=campaign).remote_ref
    emulator.simulate_dialling(1, campaign=ref["remote_id"])
    results_pull_enqueue(campaign=campaign, reason="test")
    run_jobs()
    return account, campaign


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_lead_page_shows_the_dialers_word_and_what_it_does_not_say(
    supervisor_client, acefone_pulled
):
    account, campaign = acefone_pulled
    dialled = LeadResult.objects.get(campaign=campaign, attempts=1)
    page = _text(supervisor_client.get(reverse("leads:lead", args=[dialled.lead_id])).text)
    assert f"Last result {dialled.last_result_code} ({dialled.last_result_raw})" in page or (
        f"Last result {dialled.last_result_raw}" in page
    )
    assert "Attempts 1" in page
    assert "Next attempt unknown: Acefone does not report it" in page
    assert "Done unknown: Acefone does not report it" in page
    assert "None yet" not in page


def test_the_campaign_leads_page_shows_each_leads_result(supervisor_client, acefone_pulled):
    account, campaign = acefone_pulled
    page = _text(supervisor_client.get(reverse("campaigns:leads", args=[campaign.pk])).text)
    results = LeadResult.objects.filter(campaign=campaign)
    assert results.count() == 3
    assert page.count("Attempts 1") == results.filter(attempts=1).count() == 1
    assert page.count("Attempts 0") == results.filter(attempts=0).count() == 2
    assert page.count("Last result unknown: the dialer did not say") == 2
    assert page.count("Agent unknown: Acefone does not report it") == 3


def test_a_lead_not_read_yet_says_so(supervisor_client, emulated_account):
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    lead = campaign.list_links.get().lead_list.leads.get()
    page = _text(supervisor_client.get(reverse("leads:lead", args=[lead.pk])).text)
    assert "Attempts unknown: not read from the dialer yet" in page
    assert "Agent unknown: Webitel does not report it" in page


def test_the_account_page_lists_the_result_fields(supervisor_client, emulated_account):
    account, _ = emulated_account("voicenter")
    page = _text(supervisor_client.get(reverse("vendors:account-detail", args=[account.pk])).text)
    assert "Next attempt: reported" in page
    assert "Attempts: reported" in page  # from its call log (CDRs)
    assert "No receiving endpoint has been made for this account." in page


def test_the_receiving_secret_is_shown_once_and_stored_encrypted(
    supervisor_client, emulated_account
):
    account, _ = emulated_account("ozonetel")
    url = reverse("vendors:account-receiving", args=[account.pk])
    made = supervisor_client.post(url)
    assert made.status_code == 200
    secret = re.search(r"data-receiving-secret>([^<]+)<", made.text).group(1)
    account = VendorAccount.objects.get(pk=account.pk)
    assert secret not in account.receiving_secret_encrypted
    assert f"/results/receive/{account.receiving_token}/" in made.text
    later = supervisor_client.get(reverse("vendors:account-detail", args=[account.pk])).text
    assert secret not in later
    assert f"/results/receive/{account.receiving_token}/" in later


def test_only_who_may_change_the_account_makes_an_endpoint(team_lead_client, emulated_account):
    account, _ = emulated_account("ozonetel")
    reply = team_lead_client.post(reverse("vendors:account-receiving", args=[account.pk]))
    assert reply.status_code == 403
    assert VendorAccount.objects.get(pk=account.pk).receiving_token is None


def test_the_lead_endpoint_gives_the_same(api_client, supervisor, acefone_pulled):
    account, campaign = acefone_pulled
    dialled = LeadResult.objects.get(campaign=campaign, attempts=1)
    api_client.force_authenticate(supervisor)
    reply = api_client.get(f"/api/v1/leads/{dialled.lead_id}/")
    assert reply.status_code == 200, reply.content
    [item] = reply.json()["campaigns"]
    result = item["dialer_result"]
    assert result["read"] is True
    assert (result["attempts"], result["last_result_raw"]) == (1, dialled.last_result_raw)
    assert result["done"] is None and result["next_attempt_at"] is None
    assert result["not_reported"] == ["agent", "done", "last_attempt_at", "next_attempt_at"]
