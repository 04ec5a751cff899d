"""Comparing every campaign's kept push counts with its rows, for the suite's guard
(``tests/conftest.py``) and the tests of ``sync.push_counts``."""

from __future__ import annotations

from django.db.models import Count

from sync.models import LeadSync, PushCounts


def push_counts_mismatches() -> dict[int, tuple[dict, dict]]:
    """{campaign id: (kept, real)} for every campaign whose counts differ."""
    real: dict[int, dict[str, int]] = {}
    grouped = (
        LeadSync.objects.order_by()
        .values("campaign_id", "state")
        .annotate(rows=Count("pk"))
        .values_list("campaign_id", "state", "rows")
    )
    for campaign_id, state, rows in grouped:
        real.setdefault(campaign_id, {})[state] = rows
    kept = {
        counts.campaign_id: {state: n for state, n in counts.by_state.items() if n}
        for counts in PushCounts.objects.all()
    }
    return {
        campaign_id: (kept.get(campaign_id, {}), real.get(campaign_id, {}))
        for campaign_id in set(real) | set(kept)
        if kept.get(campaign_id, {}) != real.get(campaign_id, {})
    }
