"""The scope of duplicate detection: which lead lists an import or a bulk add compares its
numbers with (and, with the update policy, writes to). It never reaches past the lead lists
the acting user may see (``selectors.lead_lists_visible``); only the operator, the command
line without ``--user``, is unbounded."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.models import DuplicateScope, ImportJob
from leads.selectors import (
    campaign_exists,
    campaign_lead_list_ids,
    campaign_visible,
    lead_lists_visible,
)


def duplicate_scope_check(*, duplicate_scope: str, scope_campaign_id: int | None, acting_user):
    """Refuse a campaign scope without a campaign, or with one ``acting_user`` may not see
    (None: the operator, who may use any campaign)."""
    if duplicate_scope != DuplicateScope.CAMPAIGN:
        return
    if not scope_campaign_id:
        raise ApplicationError(
            _("Choose the campaign whose lists are checked for duplicates."),
            {"field": "scope_campaign"},
        )
    if acting_user is None:
        usable = campaign_exists(campaign_id=scope_campaign_id)
    else:
        usable = campaign_visible(user=acting_user, campaign_id=scope_campaign_id)
    if not usable:
        raise ApplicationError(
            _(
                "There is no campaign %(scope_campaign_id)s that you may use for the "
                "duplicate check: choose one of the campaigns you can see."
            )
            % {"scope_campaign_id": scope_campaign_id},
            {"field": "scope_campaign"},
        )


def duplicate_scope_list_ids(*, job: ImportJob) -> list[int] | None:
    """The lists whose leads count as existing (and may be updated): the job's scope,
    within the lists its acting user may see. None: every list, for a supervisor's or the
    operator's "everywhere". A job from before ``acting_user`` was recorded is bounded by
    its creator; only one with neither (the command line) is the operator's."""
    user = job.acting_user or job.created_by
    if job.duplicate_scope == DuplicateScope.LIST:
        return [job.lead_list_id]
    if job.duplicate_scope == DuplicateScope.EVERYWHERE:
        if user is None or user.is_supervisor:
            return None
        return sorted(
            {job.lead_list_id, *lead_lists_visible(user=user).values_list("pk", flat=True)}
        )
    in_campaign = set(campaign_lead_list_ids(campaign_id=job.scope_campaign_id))
    if user is not None:
        visible = lead_lists_visible(user=user).filter(pk__in=in_campaign)
        in_campaign = set(visible.values_list("pk", flat=True))
    return sorted({job.lead_list_id, *in_campaign})
