"""Pause, stop or archive several campaigns in one call. Each campaign goes through the
single-campaign rules (``campaign_transition``: legal change, vendor capability, one sync
job per campaign); one the user may not change, or that cannot make the change, is
skipped with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.services.campaigns import campaign_transition
from dialer_console.errors import ApplicationError

BULK_CAMPAIGN_ACTIONS = ("pause", "stop", "archive")
BULK_MAX_CAMPAIGNS = 500
NOT_YOURS = gettext_lazy("not found, or not a campaign you may change")


@dataclass
class BulkCampaignResult:
    action: str
    done: list[Campaign] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, reason

    def as_dict(self) -> dict:
        return {
            "action": self.action,
            "done": len(self.done),
            "skipped": len(self.skipped),
            "done_ids": [campaign.pk for campaign in self.done],
            "skipped_reasons": [
                {"id": pk, "name": name, "reason": reason} for pk, name, reason in self.skipped
            ],
        }


def bulk_campaign_action(name: str):
    """The single-campaign action ``name`` if it may be done in bulk."""
    from campaigns.selectors import ACTIONS_BY_NAME

    if name not in BULK_CAMPAIGN_ACTIONS:
        raise ApplicationError(
            _("“%(name)s” cannot be done to several campaigns at once: choose %(value)s.")
            % {"name": name, "value": ", ".join(BULK_CAMPAIGN_ACTIONS)},
            {"field": "action"},
        )
    return ACTIONS_BY_NAME[name]


def campaigns_bulk_transition(*, campaign_ids: list[int], action: str, acting_user):
    """Apply ``action`` (pause, stop, archive) to each campaign of ``campaign_ids`` the
    user may change. Each campaign is its own transaction: one refusal does not undo the
    others."""
    from campaigns.selectors import campaign_queryset

    chosen = bulk_campaign_action(action)
    if len(campaign_ids) > BULK_MAX_CAMPAIGNS:
        raise ApplicationError(
            _("At most %(bulk_max_campaigns)s campaigns at once.")
            % {"bulk_max_campaigns": BULK_MAX_CAMPAIGNS},
            {"field": "ids"},
        )
    result = BulkCampaignResult(action=action)
    if not acting_user.has_perm(chosen.permission):
        raise ApplicationError(_("You may not change campaigns."))
    visible = {
        campaign.pk: campaign
        for campaign in campaign_queryset(user=acting_user).filter(pk__in=campaign_ids)
    }
    for pk in dict.fromkeys(campaign_ids):
        campaign = visible.get(pk)
        if campaign is None:
            result.skipped.append((pk, "", str(NOT_YOURS)))
            continue
        try:
            with transaction.atomic():
                changed = campaign_transition(
                    campaign=campaign, to_status=chosen.to_status, acting_user=acting_user
                )
        except ApplicationError as error:
            result.skipped.append((pk, campaign.name, error.message))
        else:
            result.done.append(changed)
    return result
