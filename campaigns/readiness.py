"""Whether a campaign has anything to dial: an active lead list, and a callable lead in
one. Starting (or resuming) a campaign without either is refused with the reason, and
the campaign page warns while it has none, so "In sync · 0 pending" is never read as
"all is well".

What makes a lead callable is defined once, in ``sync.dialling.own_reason_sql`` (its list
active, status New, not refused as DNC or removed by the dialer, not finished there); the
breakdown, the start preview and the gate's selection read the same definition. Here the
calling window is left aside: whether a lead is callable *soon* is the start preview's
question (``sync.start_preview``), which asks for a confirmation rather than refusing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext, gettext_noop

from campaigns.models import Campaign, CampaignLeadList

# Marked here, translated where shown (``DialReadiness.problem``).
NO_ACTIVE_LIST = gettext_noop(
    "The campaign has no active lead list, so the dialer would have nothing to call: "
    "attach a lead list (or switch one on) in Edit first."
)
NO_CALLABLE_LEAD = gettext_noop(
    "None of the campaign's active lead lists has a lead left to call (every lead is "
    "done, on the do-not-call list, invalid or removed): upload leads or switch on "
    "another list first."
)


@dataclass(frozen=True)
class DialReadiness:
    active_lists: int
    has_callable_lead: bool  # a lead of an active list callable by itself

    @property
    def problem(self) -> str:
        """Why nothing can be dialled, or "" when something can."""
        if not self.active_lists:
            return gettext(NO_ACTIVE_LIST)
        if not self.has_callable_lead:
            return gettext(NO_CALLABLE_LEAD)
        return ""


def campaigns_dial_readiness(*, campaign_ids: list[int]) -> dict[int, DialReadiness]:
    """Each campaign's active lists, and whether one holds a callable lead: two queries,
    the second one EXISTS per campaign with an active list."""
    from sync.dialling import campaigns_with_callable_lead

    rows = (
        CampaignLeadList.objects.filter(campaign_id__in=campaign_ids, active=True)
        .values("campaign_id")
        .annotate(lists=Count("pk"))
    )
    lists = {row["campaign_id"]: row["lists"] for row in rows}
    callable_ = campaigns_with_callable_lead(campaign_ids=list(lists))
    return {pk: DialReadiness(lists.get(pk, 0), pk in callable_) for pk in campaign_ids}


def campaign_dial_readiness(*, campaign: Campaign) -> DialReadiness:
    return campaigns_dial_readiness(campaign_ids=[campaign.pk])[campaign.pk]
