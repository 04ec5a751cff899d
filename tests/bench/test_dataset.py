"""The page benchmark's data set keeps the application's invariants (bench/dataset.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import dataset
from campaigns.models import CampaignLeadList
from leads.models import DncEntry, Lead, LeadList
from sync.models import LeadSync, SyncJob
from vendors.models import VendorCall


def test_list_sizes_sum_to_the_leads_from_a_fifth_down_to_a_few_hundred():
    sizes = dataset.list_sizes(5_000_000)
    assert len(sizes) == dataset.LISTS
    assert sum(sizes) == 5_000_000
    assert sizes[0] == 1_000_000
    assert sizes[1:] == sorted(sizes[1:], reverse=True)
    assert 200 <= sizes[-1] <= 500


@pytest.mark.postgres
def test_a_scaled_build_keeps_counts_equal_to_rows_and_starts_late_lists_late(require_postgres):
    dataset.build(leads=20_000, say=lambda line: None)

    assert Lead.objects.count() == 20_000
    with connection.cursor() as cursor:
        assert dataset.kept_counts_check(cursor) == []
    first_ids = {
        lead_list.pk: Lead.objects.filter(lead_list=lead_list).order_by("id").first().pk
        for lead_list in LeadList.objects.order_by("id")
    }
    ids = list(first_ids.values())
    assert ids[-1] > 10_000 + ids[0], "the last list starts after half the leads"
    data = dataset.describe()
    assert data.late_list == max(first_ids, key=first_ids.get)
    big = CampaignLeadList.objects.get(campaign_id=data.big_campaign).lead_list
    assert big.total_count == 4_000 - 40  # a fifth of the leads, less the removed 1%
    assert LeadSync.objects.filter(campaign_id=data.big_campaign).count() == big.total_count
    assert DncEntry.objects.count() == 2_000
    assert SyncJob.objects.count() == VendorCall.objects.count() == 1_200
    # Indexes and keys are back after the load.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'leads_lead'")
        assert cursor.fetchone()[0] >= 5
