"""Bulk actions on selected leads: delete, mark DNC, move to another list, recycle.

One call acts on a whole selection (``leads.selectors_bulk``): set-based SQL over bounded
batches of ids, never a loop over leads in Python, each batch in its own transaction so a
million leads never hold one lock for minutes. A lead the action does not apply to is
skipped and counted under its reason. The lists' kept counts are recounted once at the
end, and each campaign whose dialer must learn about it gets exactly one sync job
(``campaign_sync_enqueue`` merges with a job already waiting)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from audit.models import LeadChangeKind
from audit.services import audit_bulk, lead_changes_record
from campaigns.models import Campaign, CampaignStatus
from dialer_console.errors import ApplicationError
from leads.models import DncEntry, DncScope, Lead, LeadList, LeadStatus
from leads.services.lead_lists import lead_list_counts_refresh
from results.kept_counts import result_counts_moving
from sync.models import LeadSync, LeadSyncState
from sync.selectors import lead_on_a_dialer
from sync.services.hooks import campaign_sync_enqueue

BULK_BATCH = 1000
DELETE, DNC, MOVE, RECYCLE = "delete", "dnc", "move", "recycle"
ACTIONS = {
    DELETE: _("Delete"),
    DNC: _("Mark do-not-call"),
    MOVE: _("Move to another list"),
    RECYCLE: _("Recycle (send again)"),
}
ACTION_CHOICES = list(ACTIONS.items())
# What each action asks of the user, on top of seeing the leads.
ACTION_PERMISSIONS = {
    DELETE: ("leads.delete_lead",),
    DNC: ("leads.change_lead", "leads.add_dncentry"),
    MOVE: ("leads.change_lead",),
    RECYCLE: ("leads.change_lead",),
}
# What each action does, in plain words for its confirmation.
ACTION_EFFECTS = {
    DELETE: (
        _("Leads no dialer holds are deleted for good, with their outcomes."),
        _(
            "Leads a dialer holds stay as Removed until their campaign's sync job has taken "
            "them off the dialer (one job per campaign)."
        ),
    ),
    DNC: (
        _(
            "Leads waiting to be dialled become Do not call, and their numbers are listed on "
            "their lead list's do-not-call list, so a later import drops them too."
        ),
        _(
            "Leads not sent yet will not be sent; a dialer holding one is told to drop it by "
            "its campaign's sync job (one job per campaign). Other leads are skipped."
        ),
    ),
    MOVE: (
        _(
            "Leads no dialer holds move to the chosen list; a lead on a dialer is skipped "
            "(its campaign would go on calling it)."
        ),
        _("Campaigns dialling the chosen list push the moved leads on their next sync."),
    ),
    RECYCLE: (
        _(
            "Leads waiting or done are queued again for the chosen campaign; done leads "
            "become waiting again. DNC, invalid and removed leads are skipped."
        ),
        _(
            "The campaign's sync job pushes them to its dialer; a dialer that already holds a "
            "lead answers that it is a duplicate."
        ),
    ),
}
ON_A_DIALER = (LeadSyncState.SENDING, LeadSyncState.PUSHED)
STATUS_REASONS = {
    LeadStatus.NEW: gettext_noop("waiting to be dialled"),
    LeadStatus.INVALID: gettext_noop("the number is invalid"),
    LeadStatus.DNC: gettext_noop("already do-not-call"),
    LeadStatus.REMOVED: gettext_noop("already removed (waiting to leave a dialer)"),
    LeadStatus.DONE: gettext_noop("done (final disposition)"),
}
ON_DIALER_REASON = gettext_noop("on a dialer: mark it do-not-call or delete it instead")
SAME_LIST_REASON = gettext_noop("already in that list")
OTHER_TEAM_REASON = gettext_noop("its list belongs to another team than the campaign")
BEING_PUSHED_REASON = gettext_noop("being pushed to that campaign right now")


@dataclass
class BulkLeadResult:
    action: str
    done: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> leads
    campaign_ids: set[int] = field(default_factory=set)
    lead_list_ids: set[int] = field(default_factory=set)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def summary(self) -> str:
        """One line for the page after the action."""
        text = ngettext(
            "%(action)s: %(count)s lead done", "%(action)s: %(count)s leads done", self.done
        ) % {"action": ACTIONS[self.action], "count": number_format(self.done, force_grouping=True)}
        if self.skipped:
            reasons = "; ".join(
                f"{gettext(reason)}: {number_format(n, force_grouping=True)}"
                for reason, n in self.skipped.most_common()
            )
            text += gettext(", %(count)s skipped (%(reasons)s)") % {
                "count": number_format(self.skipped_total, force_grouping=True),
                "reasons": reasons,
            }
        synced = len(self.campaign_ids)
        if synced:
            text += ngettext(
                ". %(count)s campaign sync job queued",
                ". %(count)s campaign sync jobs queued",
                synced,
            ) % {"count": synced}
        return text + "."

    def as_dict(self) -> dict:
        return {
            "action": self.action,
            "done": self.done,
            "skipped": self.skipped_total,
            "skipped_reasons": [
                {"reason": reason, "count": count} for reason, count in self.skipped.most_common()
            ],
            "campaigns_synced": len(self.campaign_ids),
        }


def lead_id_batches(leads: QuerySet[Lead]):
    """The selection's ids in bounded, increasing batches (keyset, no OFFSET). Each batch
    is read when the previous one is done, so leads an action moved out of the selection
    are not met again."""
    after = 0
    while True:
        ids = list(
            leads.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BULK_BATCH]
        )
        if not ids:
            return
        yield ids
        after = ids[-1]


def _skip_by_status(result: BulkLeadResult, batch: QuerySet[Lead]) -> None:
    for status, count in batch.values_list("status").annotate(n=Count("pk")).order_by():
        result.skipped[STATUS_REASONS.get(status, status)] += count


def _campaigns_holding(ids: list[int], states) -> set[int]:
    return set(
        LeadSync.objects.filter(lead_id__in=ids, state__in=states)
        .values_list("campaign_id", flat=True)
        .distinct()
    )


def _delete_batch(result: BulkLeadResult, ids: list[int]) -> None:
    """As an import's undo: a lead a dialer holds stays as REMOVED until its campaign's
    job takes it off (``push.leads_remove_slice``); the rest are deleted."""
    batch = Lead.objects.filter(pk__in=ids)
    _skip_by_status(result, batch.filter(status=LeadStatus.REMOVED))
    acting = batch.exclude(status=LeadStatus.REMOVED)
    result.lead_list_ids |= set(acting.values_list("lead_list_id", flat=True).distinct())
    on_dialer = lead_on_a_dialer()
    held = list(acting.filter(on_dialer).values_list("pk", flat=True))
    result.campaign_ids |= _campaigns_holding(held, ON_A_DIALER)
    lead_changes_record(
        ids=held, kind=LeadChangeKind.BULK_DELETE, after={"status": LeadStatus.REMOVED}
    )
    leaving = Lead.objects.filter(pk__in=held).update(
        status=LeadStatus.REMOVED, updated_at=timezone.now()
    )
    LeadSync.objects.filter(lead_id__in=held, state=LeadSyncState.PENDING).update(
        state=LeadSyncState.REMOVED, reason="Removed before it was sent."
    )
    _, per_model = acting.exclude(pk__in=held).delete()
    result.done += leaving + per_model.get("leads.Lead", 0)


def _dnc_batch(result: BulkLeadResult, ids: list[int], acting_user) -> None:
    """Leads waiting to be dialled become DNC and their numbers are listed on their own
    lead list's do-not-call list, so a later import drops them too. Leads not yet sent are
    simply not sent; a dialer holding one gets its campaign's job, which takes it off."""
    batch = Lead.objects.filter(pk__in=ids)
    _skip_by_status(result, batch.exclude(status=LeadStatus.NEW))
    rows = list(batch.filter(status=LeadStatus.NEW).values_list("pk", "phone", "lead_list_id"))
    if not rows:
        return
    acting = [pk for pk, _, _ in rows]
    lead_changes_record(ids=acting, kind=LeadChangeKind.BULK_DNC, after={"status": LeadStatus.DNC})
    Lead.objects.filter(pk__in=acting).update(status=LeadStatus.DNC, updated_at=timezone.now())
    LeadSync.objects.filter(lead_id__in=acting, state=LeadSyncState.PENDING).update(
        state=LeadSyncState.DNC, reason="Not sent: the number is on the do-not-call list."
    )
    result.campaign_ids |= _campaigns_holding(acting, ON_A_DIALER)
    result.lead_list_ids |= {list_id for _, _, list_id in rows}
    DncEntry.objects.bulk_create(
        [
            DncEntry(
                phone=phone,
                scope=DncScope.LIST,
                lead_list_id=list_id,
                reason="Marked do-not-call in bulk",
                source="bulk action",
                created_by=acting_user,
            )
            for phone, list_id in {(phone, list_id) for _, phone, list_id in rows}
        ],
        ignore_conflicts=True,
    )
    result.done += len(acting)


def _move_batch(result: BulkLeadResult, ids: list[int], target: LeadList) -> None:
    """Only leads no dialer holds move: a dialer would go on calling a lead whose list its
    campaign no longer dials. Their not-yet-sent rows are dropped; the campaigns dialling
    the target list enrol them on their next run."""
    batch = Lead.objects.filter(pk__in=ids)
    same = batch.filter(lead_list=target).count()
    if same:
        result.skipped[SAME_LIST_REASON] += same
    batch = batch.exclude(lead_list=target)
    held = batch.filter(lead_on_a_dialer()).count()
    if held:
        result.skipped[ON_DIALER_REASON] += held
    removed = batch.filter(status=LeadStatus.REMOVED)
    _skip_by_status(result, removed)
    movable = batch.exclude(lead_on_a_dialer()).exclude(status=LeadStatus.REMOVED)
    moving = list(movable.values_list("pk", "lead_list_id"))
    if not moving:
        return
    acting = [pk for pk, _ in moving]
    result.lead_list_ids |= {list_id for _, list_id in moving} | {target.pk}
    LeadSync.objects.filter(lead_id__in=acting, state=LeadSyncState.PENDING).delete()
    lead_changes_record(
        ids=acting, kind=LeadChangeKind.BULK_MOVE, after={"lead_list_id": target.pk}
    )
    # Their results move to the target list in the campaigns' kept result counts.
    with result_counts_moving(lead_ids=acting):
        result.done += Lead.objects.filter(pk__in=acting).update(
            lead_list=target, updated_at=timezone.now()
        )


def _recycle_batch(result: BulkLeadResult, ids: list[int], campaign: Campaign) -> None:
    """Leads waiting or done are queued again for the campaign's dialer: their row for the
    campaign becomes PENDING (added where there was none) and a done lead is waiting again.
    A lead of another team's list is not sent to a campaign of a team (the campaign's
    team would dial leads its own lists hide)."""
    batch = Lead.objects.filter(pk__in=ids)
    if campaign.team_id is not None:
        other = batch.exclude(lead_list__team_id=campaign.team_id).count()
        if other:
            result.skipped[OTHER_TEAM_REASON] += other
        batch = batch.filter(lead_list__team_id=campaign.team_id)
    recyclable = (LeadStatus.NEW, LeadStatus.DONE)
    _skip_by_status(result, batch.exclude(status__in=recyclable))
    sending = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.SENDING)
    in_flight = batch.filter(status__in=recyclable, syncs__in=sending).count()
    if in_flight:
        result.skipped[BEING_PUSHED_REASON] += in_flight
    rows = list(
        batch.filter(status__in=recyclable)
        .exclude(syncs__in=sending)
        .values_list("pk", "lead_list_id")
    )
    if not rows:
        return
    acting = [pk for pk, _ in rows]
    result.lead_list_ids |= {list_id for _, list_id in rows}
    done = list(
        Lead.objects.filter(pk__in=acting, status=LeadStatus.DONE).values_list("pk", flat=True)
    )
    lead_changes_record(
        ids=done, kind=LeadChangeKind.BULK_RECYCLE, after={"status": LeadStatus.NEW}
    )
    Lead.objects.filter(pk__in=done).update(status=LeadStatus.NEW, updated_at=timezone.now())
    now = timezone.now()
    LeadSync.objects.bulk_create(
        [
            LeadSync(
                campaign=campaign,
                lead_id=pk,
                state=LeadSyncState.PENDING,
                reason="Recycled: queued again.",
                updated_at=now,
            )
            for pk in acting
        ],
        update_conflicts=True,
        unique_fields=["campaign", "lead"],
        update_fields=["state", "reason", "batch", "updated_at"],
    )
    result.campaign_ids.add(campaign.pk)
    result.done += len(acting)


def _check_target_list(*, target_list: LeadList | None, acting_user) -> LeadList:
    if target_list is None:
        raise ApplicationError(
            gettext("Choose the list to move the leads to."), {"field": "target_list"}
        )
    if not acting_user.is_supervisor and target_list.team_id != acting_user.team_id:
        raise ApplicationError(
            gettext("You can move leads only to your own team's lists."), {"field": "target_list"}
        )
    return target_list


def _check_target_campaign(*, campaign: Campaign | None) -> Campaign:
    if campaign is None:
        raise ApplicationError(
            gettext("Choose the campaign to send the leads to."), {"field": "campaign"}
        )
    if campaign.status == CampaignStatus.ARCHIVED:
        raise ApplicationError(
            gettext("An archived campaign dials nobody: choose another campaign."),
            {"field": "campaign"},
        )
    return campaign


def leads_bulk_check(
    *, action: str, acting_user, target_list: LeadList | None = None, target_campaign=None
) -> None:
    """What the action needs, checked before anything is counted or changed. Moving leads
    to another team's list is refused here; the move itself keeps each lead's team as the
    target's (a supervisor's move may cross teams: sharing is a supervisor's feature)."""
    if action not in ACTIONS:
        raise ApplicationError(
            gettext("Unknown action “%(action)s”.") % {"action": action}, {"field": "action"}
        )
    if not acting_user.has_perms(ACTION_PERMISSIONS[action]):
        raise ApplicationError(
            gettext("You may not %(value)s leads.") % {"value": ACTIONS[action].lower()},
            {"code": "permission_denied"},
        )
    if action == MOVE:
        _check_target_list(target_list=target_list, acting_user=acting_user)
    if action == RECYCLE:
        _check_target_campaign(campaign=target_campaign)


def leads_bulk_act(
    *,
    leads: QuerySet[Lead],
    action: str,
    acting_user,
    target_list: LeadList | None = None,
    target_campaign: Campaign | None = None,
) -> BulkLeadResult:
    """Apply ``action`` to every lead of ``leads`` (a selection from
    ``leads.selectors_bulk``, already scoped to the user). Returns what was done, what was
    skipped and why, and how many campaigns got their sync job."""
    leads_bulk_check(
        action=action,
        acting_user=acting_user,
        target_list=target_list,
        target_campaign=target_campaign,
    )
    result = BulkLeadResult(action=action)
    for ids in lead_id_batches(leads):
        with transaction.atomic():
            leads_bulk_batch(
                result=result,
                ids=ids,
                acting_user=acting_user,
                target_list=target_list,
                target_campaign=target_campaign,
            )
    leads_bulk_finish(result=result, target_list=target_list)
    return result


def leads_bulk_batch(
    *, result: BulkLeadResult, ids: list[int], acting_user, target_list, target_campaign
) -> None:
    """One batch of ``result.action``, to be run inside the caller's transaction (the
    Celery run commits its progress in the same one)."""
    # Lock the batch's push rows first, as an undo does: a push claiming one waits.
    list(LeadSync.objects.select_for_update().filter(lead_id__in=ids).values("pk"))
    if result.action == DELETE:
        _delete_batch(result, ids)
    elif result.action == DNC:
        _dnc_batch(result, ids, acting_user)
    elif result.action == MOVE:
        _move_batch(result, ids, target_list)
    else:
        _recycle_batch(result, ids, target_campaign)


def leads_bulk_finish(*, result: BulkLeadResult, target_list: LeadList | None) -> None:
    """After every batch: recount the touched lists, and give each campaign whose dialer
    must learn of it its one sync job (merged with a job already waiting)."""
    action = result.action
    with transaction.atomic():
        for lead_list in LeadList.objects.filter(pk__in=result.lead_list_ids):
            lead_list_counts_refresh(lead_list=lead_list)
        campaigns = Campaign.objects.filter(pk__in=result.campaign_ids)
        if action == MOVE and target_list is not None and result.done:
            campaigns = Campaign.objects.filter(
                Q(pk__in=result.campaign_ids)
                | Q(list_links__lead_list=target_list, list_links__active=True)
            ).distinct()
        reason = f"Bulk: {result.done:,} lead(s) — {ACTIONS[action].lower()}"
        synced = set()
        for campaign in campaigns.select_related("vendor_account").order_by("pk"):
            if campaign_sync_enqueue(campaign=campaign, reason=reason) is not None:
                synced.add(campaign.pk)
        result.campaign_ids = synced
        _audit_bulk_action(result, target_list)


def _audit_bulk_action(result: BulkLeadResult, target_list: LeadList | None) -> None:
    """One entry for the whole action; each lead's own row is in its history."""
    filters = {"lead_lists": sorted(result.lead_list_ids)}
    if target_list is not None and result.action == MOVE:
        filters["target_list"] = target_list.pk
    audit_bulk(
        model=Lead,
        action=result.action,
        count=result.done,
        filters=filters,
        summary=result.summary,
    )
