"""What the campaign page shows of callbacks: open and missed, counted from their rows,
only of the leads the user may see."""

from __future__ import annotations

from accounts.access import team_scope
from results.models import Callback, CallbackState
from results.recycling.apply import MISSED_GRACE, missed_callbacks

MISSED_SHOWN = 20


def callbacks_summary(*, campaign, user) -> dict:
    def visible(queryset):
        return team_scope(queryset, user, "lead__lead_list__team")

    missed = visible(missed_callbacks(campaign=campaign))
    return {
        "open": visible(
            Callback.objects.filter(campaign=campaign, state=CallbackState.OPEN)
        ).count(),
        "missed": missed.count(),
        "missed_first": list(missed.select_related("lead").order_by("due_at", "id")[:MISSED_SHOWN]),
        "grace_minutes": int(MISSED_GRACE.total_seconds() // 60),
    }
