"""Bulk actions in the pages: the bar and checkboxes, the confirmation that counts (by
the query the action runs), the action itself, and refusals by role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from campaigns.models import CampaignLeadList, CampaignStatus
from leads.models import DncEntry, Lead, LeadStatus
from sync.models import LeadSync, LeadSyncState
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def own_list(team_lead):
    lead_list = LeadListFactory(team=team_lead.team, name="Own list")
    for n in range(3):
        LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}")
    LeadFactory(lead_list=lead_list, phone="+12125559999", status=LeadStatus.DONE)
    return lead_list


def _count_shown(html: str) -> int:
    return int(re.search(r'data-bulk-count="(\d+)"', html).group(1))


def test_the_list_page_has_the_bar_and_a_checkbox_per_lead(team_lead_client, own_list):
    html = team_lead_client.get(reverse("leads:detail", args=[own_list.pk])).content.decode()
    assert 'id="lead-bulk"' in html
    assert html.count('form="lead-bulk"') == 4


def test_the_filter_confirmation_counts_what_matches(team_lead_client, own_list):
    url = reverse("leads:bulk", args=[own_list.pk])
    response = team_lead_client.post(url, {"action": "dnc", "scope": "filter", "status": "new"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _count_shown(html) == 3
    assert "status New" in html
    assert Lead.objects.filter(status=LeadStatus.DNC).count() == 0  # nothing done yet
    # Confirming does it, and goes back to the page with the filter kept.
    done = team_lead_client.post(
        url, {"action": "dnc", "scope": "filter", "status": "new", "confirmed": "1"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("leads:detail", args=[own_list.pk]) + "?status=new"
    assert Lead.objects.filter(lead_list=own_list, status=LeadStatus.DNC).count() == 3


def test_ticked_leads_only(team_lead_client, own_list):
    first = Lead.objects.filter(lead_list=own_list).order_by("pk").first()
    url = reverse("leads:bulk", args=[own_list.pk])
    response = team_lead_client.post(url, {"action": "delete", "ids": [first.pk]})
    assert _count_shown(response.content.decode()) == 1
    team_lead_client.post(url, {"action": "delete", "ids": [first.pk], "confirmed": "1"})
    assert not Lead.objects.filter(pk=first.pk).exists()
    assert Lead.objects.filter(lead_list=own_list).count() == 3


def test_nothing_ticked_is_a_message_not_an_error(team_lead_client, own_list):
    url = reverse("leads:bulk", args=[own_list.pk])
    response = team_lead_client.post(url, {"action": "delete"}, follow=True)
    assert response.status_code == 200
    assert "Select at least one item." in response.content.decode()


def test_another_teams_list_is_not_found(team_lead_client):
    other = LeadListFactory(name="Theirs")
    LeadFactory(lead_list=other)
    response = team_lead_client.post(
        reverse("leads:bulk", args=[other.pk]),
        {"action": "delete", "scope": "filter", "confirmed": "1"},
    )
    assert response.status_code == 404
    assert Lead.objects.filter(lead_list=other).count() == 1


def test_a_role_without_the_action_is_refused(client, own_list):
    from tests.accounts.factories import UserFactory

    consumer = UserFactory(role="API consumer", team=own_list.team)
    client.force_login(consumer)
    html = client.get(reverse("leads:detail", args=[own_list.pk])).content.decode()
    assert '<option value="delete">' not in html  # only the actions the role holds
    response = client.post(
        reverse("leads:bulk", args=[own_list.pk]),
        {"action": "delete", "scope": "filter", "confirmed": "1"},
        follow=True,
    )
    assert "You may not delete leads." in response.content.decode()
    assert Lead.objects.filter(lead_list=own_list).count() == 4


def test_campaign_leads_page_by_state(supervisor_client, own_list):
    account = VendorAccountFactory(kind="acefone")
    campaign = CampaignFactory(
        vendor_account=account, status=CampaignStatus.ACTIVE, team=own_list.team
    )
    CampaignLeadList.objects.create(campaign=campaign, lead_list=own_list, position=0)
    failed = Lead.objects.filter(lead_list=own_list).order_by("pk").first()
    LeadSync.objects.create(campaign=campaign, lead=failed, state=LeadSyncState.FAILED)
    page = supervisor_client.get(reverse("campaigns:leads", args=[campaign.pk]))
    assert 'id="lead-bulk"' in page.content.decode()
    url = reverse("campaigns:leads-bulk", args=[campaign.pk])
    response = supervisor_client.post(
        url, {"action": "recycle", "campaign": campaign.pk, "scope": "filter", "state": "failed"}
    )
    assert _count_shown(response.content.decode()) == 1
    supervisor_client.post(
        url,
        {
            "action": "recycle",
            "campaign": campaign.pk,
            "scope": "filter",
            "state": "failed",
            "confirmed": "1",
        },
    )
    assert LeadSync.objects.get(campaign=campaign, lead=failed).state == LeadSyncState.PENDING


def test_dnc_page_removes_ticked_entries_after_a_count(team_lead_client, team_lead, own_list):
    mine = [
        DncEntryFactory(phone=f"+1212555{n:04d}", scope="list", lead_list=own_list)
        for n in range(2)
    ]
    everywhere = DncEntryFactory(phone="+12125550777", scope="everywhere")
    html = team_lead_client.get(reverse("dnc:list")).content.decode()
    assert html.count('form="dnc-bulk"') == 2  # the entry listed everywhere is not theirs
    url = reverse("dnc:bulk-remove")
    ids = [entry.pk for entry in mine] + [everywhere.pk]
    response = team_lead_client.post(url, {"ids": ids})
    body = response.content.decode()
    assert _count_shown(body) == 2
    assert "skipped: only a supervisor can remove it" in body
    team_lead_client.post(url, {"ids": ids, "confirmed": "1"})
    assert list(DncEntry.objects.values_list("pk", flat=True)) == [everywhere.pk]
