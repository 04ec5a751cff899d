"""Recycling by hand: a supervisor (or a team lead, within their team) picks outcomes of
a campaign, sees how many leads have them, and sends those leads again to the same or
another campaign of the same team. The preview and the move select the same set, so the
count shown is the count moved."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from accounts.access import team_scope, team_visible
from campaigns.models import Campaign, CampaignStatus, LeadDisposition
from dialer_console.errors import ApplicationError
from leads.models import Lead, LeadStatus
from results.models import LeadResult
from results.recycling.rules import DIALER_OUTCOMES
from sync.models import LeadSync, LeadSyncState

CHUNK = 5000


@dataclass(frozen=True)
class RecycleChoice:
    source: Campaign
    target: Campaign
    dialer_outcomes: tuple[str, ...]
    disposition_codes: tuple[str, ...]


def recycle_targets(*, source: Campaign, user) -> QuerySet[Campaign]:
    """Campaigns the user may send the source's leads to: the source's team's (the
    user's own, for a team lead), not archived."""
    campaigns = team_scope(Campaign.objects.all(), user).exclude(status=CampaignStatus.ARCHIVED)
    if source.team_id is None:
        return campaigns.filter(team__isnull=True)
    return campaigns.filter(team_id=source.team_id)


def recycle_choice(
    *, source: Campaign, target_id, user, dialer_outcomes, disposition_codes
) -> RecycleChoice:
    """Check a request: the target is the user's to send to, the outcomes are known."""
    if not team_visible(user, source.team_id):
        raise ApplicationError(gettext("You may not recycle this campaign's leads."))
    target = source
    if target_id not in (None, "", source.pk):
        try:
            target = recycle_targets(source=source, user=user).get(pk=int(target_id))
        except (Campaign.DoesNotExist, TypeError, ValueError):
            raise ApplicationError(
                gettext("Choose a campaign of the same team to send the leads to."),
                {"field": "target_campaign"},
            ) from None
    elif source.status == CampaignStatus.ARCHIVED:
        raise ApplicationError(gettext("The campaign is archived: send the leads to another one."))
    known = {value for value, _ in DIALER_OUTCOMES}
    unknown = sorted(set(dialer_outcomes) - known)
    if unknown:
        raise ApplicationError(
            gettext("Unknown dialer result: %(results)s.") % {"results": ", ".join(unknown)},
            {"field": "dialer_outcomes"},
        )
    codes = set()
    if source.disposition_list_id:
        codes = set(source.disposition_list.codes.values_list("code", flat=True))
    unknown = sorted(set(disposition_codes) - codes)
    if unknown:
        raise ApplicationError(
            gettext("Not a code of the campaign's disposition list: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            {"field": "disposition_codes"},
        )
    if not dialer_outcomes and not disposition_codes:
        raise ApplicationError(
            gettext("Choose at least one outcome."), {"field": "dialer_outcomes"}
        )
    return RecycleChoice(source, target, tuple(dialer_outcomes), tuple(disposition_codes))


def recycle_selection(*, choice: RecycleChoice, user) -> QuerySet[Lead]:
    """The leads the choice sends again: the source's leads (that the user may see)
    whose last dialer result or latest recorded disposition is among the chosen, still dialable,
    in an active list of the target, not done (final) in the target and not being sent
    to it right now."""
    source, target = choice.source, choice.target
    leads = team_scope(Lead.objects.all(), user, "lead_list__team")
    # The dialer's last result, as mapped: a dialer outcome, or a console code (jtel's
    # result codes map onto the campaign's codes).
    matches = Q(
        Exists(
            LeadResult.objects.filter(
                campaign=source, lead=OuterRef("pk"),
                last_result_code__in=[*choice.dialer_outcomes, *choice.disposition_codes],
            )
        )
    )  # fmt: skip
    if choice.disposition_codes:
        latest = (
            LeadDisposition.objects.filter(campaign=source, lead=OuterRef("pk"))
            .order_by("-recorded_at", "-id")
            .values("code")[:1]
        )
        leads = leads.annotate(latest_code=Subquery(latest))
        matches |= Q(latest_code__in=choice.disposition_codes)
    in_target = target.list_links.filter(active=True).values("lead_list_id")
    return (
        leads.filter(matches, status=LeadStatus.NEW, lead_list_id__in=in_target)
        .exclude(Exists(LeadDisposition.objects.filter(
            campaign=target, lead=OuterRef("pk"), is_final=True)))
        .exclude(Exists(LeadSync.objects.filter(
            campaign=target, lead=OuterRef("pk"), state=LeadSyncState.SENDING)))
    )  # fmt: skip


def recycle_preview(*, choice: RecycleChoice, user) -> int:
    return recycle_selection(choice=choice, user=user).count()


def _schedule_on_dialer(target: Campaign, selection, reason: str, now) -> list[int]:
    """Where the dialer keeps call times itself (Acefone schedule_call), a lead it holds
    is scheduled there to be called now: pushed again it would only come back as a
    duplicate (Acefone skips a number its list holds). Returns those leads' ids."""
    from results.recycling.apply import _schedules_on_dialer, lead_name
    from sync.models import Operation
    from sync.services.jobs import sync_job_enqueue

    if not _schedules_on_dialer(target):
        return []
    held = LeadSync.objects.filter(
        campaign=target, state=LeadSyncState.PUSHED, lead_id__in=selection.values("pk")
    )
    ids = []
    for lead in Lead.objects.filter(pk__in=held.values("lead_id")).order_by("pk").iterator():
        sync_job_enqueue(
            account=target.vendor_account, operation=Operation.LEAD_SCHEDULE_CALL,
            campaign=target, lead_id=lead.pk, reason=reason[:300],
            payload={"when": now.isoformat(), "phone": lead.phone, "name": lead_name(lead)},
        )  # fmt: skip
        ids.append(lead.pk)
    held.update(reason=reason, updated_at=now)
    return ids


@transaction.atomic
def recycle_by_hand(*, choice: RecycleChoice, user) -> int:
    """Send the chosen leads again: their push rows in the target become PENDING (a row
    made where there was none) and the target's sync is queued. Returns how many."""
    from sync.services.hooks import campaign_sync_enqueue

    selection = recycle_selection(choice=choice, user=user)
    reason = f"Recycled by hand from “{choice.source.name}” by {user.get_username()}."[:500]
    now = timezone.now()
    scheduled = _schedule_on_dialer(choice.target, selection, reason, now)
    moved = len(scheduled) + LeadSync.objects.filter(
        campaign=choice.target, lead_id__in=selection.values("pk")
    ).exclude(lead_id__in=scheduled).update(
        state=LeadSyncState.PENDING, not_before=None, batch="", reason=reason, updated_at=now
    )
    has_row = LeadSync.objects.filter(campaign=choice.target, lead=OuterRef("pk"))
    missing = list(selection.exclude(Exists(has_row)).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(missing), CHUNK):
        LeadSync.objects.bulk_create(
            [
                LeadSync(campaign=choice.target, lead_id=lead_id, reason=reason)
                for lead_id in missing[start : start + CHUNK]
            ]
        )
    moved += len(missing)
    if moved:
        campaign_sync_enqueue(campaign=choice.target, reason=f"{moved} lead(s) recycled by hand")
    return moved
