"""The bulk-action endpoints: ids or a filter, counts done and skipped with reasons, the
same role and team rules and input limits as the rest of the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads.models import DncEntry, Lead, LeadStatus
from leads.selectors_bulk import BULK_MAX_IDS
from tests.accounts.factories import UserFactory
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer(api_client, api_consumer):
    api_client.force_authenticate(api_consumer)
    return api_client


@pytest.fixture
def own_list(api_consumer):
    lead_list = LeadListFactory(team=api_consumer.team)
    for n in range(3):
        LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}")
    LeadFactory(lead_list=lead_list, phone="+12125559999", status=LeadStatus.INVALID)
    return lead_list


def _url(lead_list) -> str:
    return reverse("api-lead-list-leads-actions", args=[lead_list.pk])


def test_move_by_filter_reports_done_and_skipped(consumer, own_list, api_consumer):
    target = LeadListFactory(team=api_consumer.team)
    response = consumer.post(
        _url(own_list), {"action": "move", "filter": {}, "target_list": target.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["done"], body["skipped"]) == (4, 0)
    assert Lead.objects.filter(lead_list=target).count() == 4


def test_recycle_skips_with_reasons(consumer, own_list, api_consumer):
    from tests.campaigns.factories import CampaignFactory

    campaign = CampaignFactory(team=api_consumer.team)
    response = consumer.post(
        _url(own_list), {"action": "recycle", "filter": {}, "campaign": campaign.pk}, format="json"
    )
    body = response.json()
    assert body["done"] == 3
    assert body["skipped_reasons"] == [{"reason": "the number is invalid", "count": 1}]


def test_ids_or_filter_not_both_or_neither(consumer, own_list):
    for payload in ({"action": "move"}, {"action": "move", "ids": [1], "filter": {}}):
        response = consumer.post(_url(own_list), payload, format="json")
        assert response.status_code == 400
        assert "either ids or filter" in str(response.json())


def test_too_many_ids_is_a_400(consumer, own_list):
    ids = list(range(1, BULK_MAX_IDS + 2))
    response = consumer.post(_url(own_list), {"action": "move", "ids": ids}, format="json")
    assert response.status_code == 400


def test_a_role_without_the_action_gets_403(consumer, own_list):
    # API consumers may change leads but not delete them.
    response = consumer.post(_url(own_list), {"action": "delete", "filter": {}}, format="json")
    assert response.status_code == 403
    assert Lead.objects.filter(lead_list=own_list).count() == 4


def test_another_teams_list_is_404_and_its_ids_are_not_reached(consumer, own_list):
    other = LeadListFactory()
    theirs = LeadFactory(lead_list=other, phone="+12125558888")
    response = consumer.post(_url(other), {"action": "move", "filter": {}}, format="json")
    assert response.status_code == 404
    target = LeadListFactory(team=own_list.team)
    response = consumer.post(
        _url(own_list),
        {"action": "move", "ids": [theirs.pk], "target_list": target.pk},
        format="json",
    )
    assert response.json()["done"] == 0
    theirs.refresh_from_db()
    assert theirs.lead_list == other


def test_a_bad_filter_value_is_a_400(consumer, own_list):
    response = consumer.post(
        _url(own_list), {"action": "move", "filter": {"status": "bogus"}}, format="json"
    )
    assert response.status_code == 400


def test_campaigns_bulk_stop(api_client, supervisor):
    from tests.campaigns.factories import CampaignFactory

    api_client.force_authenticate(supervisor)
    draft = CampaignFactory()
    response = api_client.post(
        reverse("api-campaigns-bulk"), {"action": "stop", "ids": [draft.pk]}, format="json"
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["done"], body["skipped"]) == (0, 1)
    assert "cannot become stopped" in body["skipped_reasons"][0]["reason"]
    refused = api_client.post(
        reverse("api-campaigns-bulk"), {"action": "start", "ids": [draft.pk]}, format="json"
    )
    assert refused.status_code == 400


def test_campaigns_bulk_needs_change_permission(consumer):
    response = consumer.post(
        reverse("api-campaigns-bulk"), {"action": "stop", "ids": [1]}, format="json"
    )
    assert response.status_code == 403


def test_dnc_entries_remove(api_client, own_list):
    lead = UserFactory(role="Team lead", team=own_list.team)
    api_client.force_authenticate(lead)
    mine = DncEntryFactory(phone="+12125550001", scope="list", lead_list=own_list)
    everywhere = DncEntryFactory(phone="+12125550002")
    response = api_client.post(
        reverse("api-dnc-entries-remove"), {"ids": [mine.pk, everywhere.pk]}, format="json"
    )
    body = response.json()
    assert (body["done"], body["skipped"]) == (1, 1)
    assert body["skipped_reasons"][0]["id"] == everywhere.pk
    assert list(DncEntry.objects.values_list("pk", flat=True)) == [everywhere.pk]
