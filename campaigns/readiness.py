"""Whether a campaign has anything to dial: an active lead list, and a callable lead in
one. Starting (or resuming) a campaign without either is refused with the reason, and
the campaign page warns while it has none, so "In sync · 0 pending" is never read as
"all is well"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
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
    callable_leads: int  # leads of the active lists not yet done, DNC, invalid or removed

    @property
    def problem(self) -> str:
        """Why nothing can be dialled, or "" when something can."""
        if not self.active_lists:
            return gettext(NO_ACTIVE_LIST)
        if not self.callable_leads:
            return gettext(NO_CALLABLE_LEAD)
        return ""


def campaigns_dial_readiness(*, campaign_ids: list[int]) -> dict[int, DialReadiness]:
    """Each campaign's active lists and their callable leads, from the counts each list
    keeps (``LeadList.valid_count``: its leads of status New), in one query."""
    rows = (
        CampaignLeadList.objects.filter(campaign_id__in=campaign_ids, active=True)
        .values("campaign_id")
        .annotate(lists=Count("pk"), leads=Sum("lead_list__valid_count"))
    )
    found = {row["campaign_id"]: DialReadiness(row["lists"], row["leads"] or 0) for row in rows}
    return {pk: found.get(pk, DialReadiness(0, 0)) for pk in campaign_ids}


def campaign_dial_readiness(*, campaign: Campaign) -> DialReadiness:
    return campaigns_dial_readiness(campaign_ids=[campaign.pk])[campaign.pk]
