"""Bulk actions on selections too big for one request, run by a Celery task.

A selection of more than ``LEADS_BULK_INLINE_MAX`` leads (counted by the query the
confirmation counts) is stored as a ``LeadBulkRun``: the action, the selection as the
page's filter or the ticked ids, its target. The task builds the selection again with
the creator's visibility, acts on it in the batches of ``leads_bulk_act`` and commits
each batch together with the run's cursor and counts, so a worker that dies loses at
most its open batch: ``lead_bulk_run_sweep_stale`` (the import sweep's beat) queues the
run again and it resumes after the last committed lead. The lists' recount and the one
sync job per campaign come once, after the last batch, as inline."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import audit_acting
from dialer_console.errors import ApplicationError
from leads.models import BulkRunState, LeadBulkRun
from leads.selectors_bulk import LeadSelection, lead_selection_rebuild
from leads.services.bulk_actions import (
    MOVE,
    RECYCLE,
    BulkLeadResult,
    lead_id_batches,
    leads_bulk_act,
    leads_bulk_batch,
    leads_bulk_check,
    leads_bulk_finish,
)

LEADS_BULK_STALE_AFTER = timedelta(minutes=5)
LEADS_BULK_MAX_ATTEMPTS = 3


class _Superseded(Exception):
    """Another worker claimed the run again (the sweep took this one for dead)."""


def leads_bulk_submit(
    *,
    selection: LeadSelection,
    action: str,
    acting_user,
    target_list=None,
    target_campaign=None,
) -> BulkLeadResult | LeadBulkRun:
    """Act on ``selection`` now when it holds at most ``LEADS_BULK_INLINE_MAX`` leads
    (returns the result); otherwise store it as a queued run for a worker, sent once
    this transaction commits (returns the run)."""
    from leads.tasks import lead_bulk_run as run_task

    targets = {"target_list": target_list, "target_campaign": target_campaign}
    leads_bulk_check(action=action, acting_user=acting_user, **targets)
    selected = selection.count()
    if selected <= settings.LEADS_BULK_INLINE_MAX:
        return leads_bulk_act(
            leads=selection.leads, action=action, acting_user=acting_user, **targets
        )
    run = LeadBulkRun.objects.create(
        action=action,
        source=selection.source,
        lead_list=selection.owner if selection.source == "list" else None,
        campaign=selection.owner if selection.source == "campaign" else None,
        lead_ids=selection.ids or [],
        filters=selection.filters,
        description=selection.description[:300],
        team_id=_run_team_id(selection, acting_user),
        selected_count=selected,
        created_by=acting_user,
        **targets,
    )
    run_task.delay_on_commit(run.pk)
    return run


def _run_team_id(selection: LeadSelection, acting_user) -> int | None:
    """The team whose leads the selection holds: a list's team; a non-supervisor's own
    team (their selection never leaves it); none for a supervisor's campaign run."""
    if selection.source == "list":
        return selection.owner.team_id
    return None if acting_user.is_supervisor else acting_user.team_id


def lead_bulk_run_execute(*, run_id: int) -> None:
    """Run a queued run to its end, a committed batch at a time. A run already claimed
    by another worker is left alone; a resumed one starts after ``after_id``."""
    now = timezone.now()
    claimed = LeadBulkRun.objects.filter(pk=run_id, state=BulkRunState.QUEUED).update(
        state=BulkRunState.RUNNING,
        started_at=Coalesce("started_at", now),
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    run = LeadBulkRun.objects.select_related(
        "created_by", "lead_list", "campaign", "target_list", "target_campaign"
    ).get(pk=run_id)
    try:
        user, targets = _run_user(run), _run_targets(run)
        leads_bulk_check(action=run.action, acting_user=user, **targets)
        selection = lead_selection_rebuild(
            user=user,
            source=run.source,
            owner=run.lead_list or run.campaign,
            ids=run.lead_ids or None,
            filters=run.filters,
        )
        with audit_acting(user):
            for ids in lead_id_batches(selection.leads.filter(pk__gt=run.after_id)):
                _run_batch(run, ids, user, targets)
            _run_finish(run, targets)
    except _Superseded:
        return
    except ApplicationError as error:
        _run_end(run, BulkRunState.FAILED, error.message)


def _run_user(run: LeadBulkRun):
    if run.created_by is None or not run.created_by.is_active:
        raise ApplicationError(_("The user who started this action can no longer sign in."))
    return run.created_by


def _run_targets(run: LeadBulkRun) -> dict:
    if run.action == MOVE and run.target_list is None:
        raise ApplicationError(_("The list to move the leads to was deleted."))
    if run.action == RECYCLE and run.target_campaign is None:
        raise ApplicationError(_("The campaign to send the leads to was deleted."))
    return {"target_list": run.target_list, "target_campaign": run.target_campaign}


def _run_batch(run: LeadBulkRun, ids: list[int], user, targets: dict) -> None:
    result = BulkLeadResult(action=run.action)
    with transaction.atomic():
        locked = LeadBulkRun.objects.select_for_update().get(pk=run.pk)
        if locked.state != BulkRunState.RUNNING or locked.attempts != run.attempts:
            raise _Superseded
        leads_bulk_batch(result=result, ids=ids, acting_user=user, **targets)
        skipped = Counter(locked.skipped_reasons)
        skipped.update(result.skipped)
        locked.after_id = ids[-1]
        locked.done_count += result.done
        locked.skipped_count += result.skipped_total
        locked.skipped_reasons = dict(skipped)
        locked.lead_list_ids = sorted(set(locked.lead_list_ids) | result.lead_list_ids)
        locked.campaign_ids = sorted(set(locked.campaign_ids) | result.campaign_ids)
        locked.heartbeat_at = timezone.now()
        locked.save(
            update_fields=[
                "after_id",
                "done_count",
                "skipped_count",
                "skipped_reasons",
                "lead_list_ids",
                "campaign_ids",
                "heartbeat_at",
            ]  # fmt: skip
        )
    run.after_id = locked.after_id


def _run_finish(run: LeadBulkRun, targets: dict) -> None:
    with transaction.atomic():
        locked = LeadBulkRun.objects.select_for_update().get(pk=run.pk)
        if locked.state != BulkRunState.RUNNING or locked.attempts != run.attempts:
            raise _Superseded
        result = BulkLeadResult(
            action=locked.action,
            done=locked.done_count,
            skipped=Counter(locked.skipped_reasons),
            campaign_ids=set(locked.campaign_ids),
            lead_list_ids=set(locked.lead_list_ids),
        )
        leads_bulk_finish(result=result, target_list=targets["target_list"])
        LeadBulkRun.objects.filter(pk=run.pk).update(
            state=BulkRunState.DONE,
            campaigns_synced=len(result.campaign_ids),
            finished_at=timezone.now(),
        )


def _run_end(run: LeadBulkRun, state: str, message: str = "") -> None:
    LeadBulkRun.objects.filter(pk=run.pk).update(
        state=state, error_message=message, finished_at=timezone.now()
    )


def lead_bulk_run_sweep_stale(*, now: datetime | None = None) -> int:
    """Runs whose worker stopped writing heartbeats: queued to resume after their last
    committed batch, or failed after LEADS_BULK_MAX_ATTEMPTS. Run by Celery beat."""
    from leads.tasks import lead_bulk_run as run_task

    now = now or timezone.now()
    stale = LeadBulkRun.objects.filter(
        state=BulkRunState.RUNNING, heartbeat_at__lt=now - LEADS_BULK_STALE_AFTER
    )
    swept = 0
    for run in stale:
        if run.attempts >= LEADS_BULK_MAX_ATTEMPTS:
            message = (
                f"The worker stopped {run.attempts} times. The leads counted below were "
                "done; start the action again for the rest."
            )
            _run_end(run, BulkRunState.FAILED, message)
        else:
            with transaction.atomic():
                LeadBulkRun.objects.filter(pk=run.pk, state=BulkRunState.RUNNING).update(
                    state=BulkRunState.QUEUED
                )
                run_task.delay_on_commit(run.pk)
        swept += 1
    return swept
