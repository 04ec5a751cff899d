"""A DNC entry saved in the Django admin takes effect as one added in the console."""

from __future__ import annotations

from django.urls import reverse

from leads.models import DncEntry, Lead, LeadStatus
from tests.leads.factories import LeadFactory, LeadListFactory

ADD = reverse("admin:leads_dncentry_add")


def test_an_entry_added_in_the_admin_marks_waiting_leads_dnc(admin_client, admin_user):
    lead_list = LeadListFactory()
    waiting = LeadFactory(lead_list=lead_list, phone="+12125550100")
    other = LeadFactory(lead_list=lead_list, phone="+12125550101")
    response = admin_client.post(
        ADD, {"phone": "+12125550100", "scope": "everywhere", "reason": "Asked by phone"}
    )
    assert response.status_code == 302
    entry = DncEntry.objects.get()
    assert entry.created_by == admin_user
    assert Lead.objects.get(pk=waiting.pk).status == LeadStatus.DNC
    assert Lead.objects.get(pk=other.pk).status == LeadStatus.NEW
    lead_list.refresh_from_db()
    assert lead_list.dnc_count == 1


def test_the_admin_refuses_a_number_that_is_not_e164(admin_client):
    response = admin_client.post(ADD, {"phone": "212 555 0100", "scope": "everywhere"})
    assert response.status_code == 200
    assert "Give the number in E.164" in response.content.decode()
    assert not DncEntry.objects.exists()
