"""Each campaign's push rows per state, kept as they change.

Pages used to group a campaign's push rows by state on every request (about 150 ms at a
million rows, every 2 s while the sync panel polls). ``PushCounts`` holds them instead,
one row per campaign, moved in the same transaction as the rows, as a lead list keeps
its counts beside its leads. Every write of a ``LeadSync`` row passes here:

- the model's manager (``CountedLeadSyncQuerySet``): ``update`` (setting ``state``),
  ``bulk_create`` (plain, ignoring or updating conflicts), ``delete``;
- its base manager is the same class, so the cascade of a deleted lead, list or
  campaign deletes through ``_raw_delete`` below;
- ``LeadSync.save`` and ``LeadSync.delete`` of one instance.

Locking: a change first locks the counts rows of the campaigns it touches (in campaign
id order), then reads the states of the rows it is about to change, writes them, and
moves the counts. Every counted writer takes that lock first, so the states it read
cannot change under it. A caller that locks push rows itself must lock their campaigns'
counts before (``push_counts_lock``), or the two orders can deadlock.

``push_counts_recount`` (beat) compares the kept counts with a real count and corrects
and logs any drift (a write by raw SQL, a restore).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

logger = logging.getLogger(__name__)

Deltas = Counter  # (campaign_id, state) -> rows added (negative: taken away)


def _counts_model():
    return apps.get_model("sync", "PushCounts")


def push_counts_lock(*, campaign_ids: Iterable[int], create: bool = True) -> dict:
    """Lock (and with ``create``, first make) the counts rows of these campaigns, in id
    order; returns them by campaign id. Must run inside a transaction."""
    ids = sorted({campaign_id for campaign_id in campaign_ids if campaign_id is not None})
    if not ids:
        return {}
    model = _counts_model()
    locked = model.objects.select_for_update().order_by("campaign_id")
    found = {row.campaign_id: row for row in locked.filter(campaign_id__in=ids)}
    missing = [campaign_id for campaign_id in ids if campaign_id not in found]
    if create and missing:
        model.objects.bulk_create(
            [model(campaign_id=campaign_id) for campaign_id in missing], ignore_conflicts=True
        )
        found.update({row.campaign_id: row for row in locked.filter(campaign_id__in=missing)})
    return found


def _move(locked: dict, deltas: Deltas) -> None:
    changed = set()
    for (campaign_id, state), rows in deltas.items():
        counts = locked.get(campaign_id)
        if not rows or counts is None:
            continue  # no counts row: the campaign is being deleted with its rows
        counts.by_state[state] = counts.by_state.get(state, 0) + rows
        changed.add(campaign_id)
    for campaign_id in changed:
        counts = locked[campaign_id]
        counts.by_state = {state: n for state, n in counts.by_state.items() if n}
        counts.save(update_fields=["by_state"])


def _grouped(queryset) -> Deltas:
    rows = (
        queryset.order_by()
        .values("campaign_id", "state")
        .annotate(rows=Count("pk"))
        .values_list("campaign_id", "state", "rows")
    )
    return Counter({(campaign_id, state): rows for campaign_id, state, rows in rows})


def _campaign_ids(queryset) -> set[int]:
    return set(queryset.order_by().values_list("campaign_id", flat=True).distinct())


class CountedLeadSyncQuerySet(models.QuerySet):
    """``LeadSync``'s queryset: the writes that change which state a row is in move the
    campaign's kept counts in the same transaction."""

    def update(self, **kwargs) -> int:
        if "state" not in kwargs:
            return super().update(**kwargs)
        state = kwargs["state"]
        if not isinstance(state, str):
            raise TypeError(
                "A push row update sets one state (a plain value), so that the kept counts "
                "can move; write one update per state."
            )
        with transaction.atomic(using=self.db):
            locked = push_counts_lock(campaign_ids=_campaign_ids(self))
            before = _grouped(self)
            updated = super().update(**kwargs)
            deltas = Deltas()
            for (campaign_id, old_state), rows in before.items():
                deltas[(campaign_id, old_state)] -= rows
                deltas[(campaign_id, state)] += rows
            _move(locked, deltas)
        return updated

    def _raw_delete(self, using):
        # Both ``delete()`` and the cascade of a deleted lead, list or campaign end here.
        rows = self.using(using)
        with transaction.atomic(using=using):
            locked = push_counts_lock(campaign_ids=_campaign_ids(rows), create=False)
            before = _grouped(rows)
            deleted = super()._raw_delete(using)
            _move(locked, Deltas({key: -n for key, n in before.items()}))
        return deleted

    def bulk_create(
        self,
        objs,
        batch_size=None,
        ignore_conflicts=False,
        update_conflicts=False,
        update_fields=None,
        unique_fields=None,
    ):
        objs = list(objs)
        if not objs:
            return objs
        with transaction.atomic(using=self.db):
            locked = push_counts_lock(campaign_ids={obj.campaign_id for obj in objs})
            existing = self._states_of(objs)
            created = super().bulk_create(
                objs,
                batch_size=batch_size,
                ignore_conflicts=ignore_conflicts,
                update_conflicts=update_conflicts,
                update_fields=update_fields,
                unique_fields=unique_fields,
            )
            state_updated = update_conflicts and "state" in (update_fields or ())
            _move(locked, _insert_deltas(objs, existing, state_updated=state_updated))
        return created

    def _states_of(self, objs) -> dict[tuple[int, int], str]:
        """The current state of the rows these objects would conflict with."""
        leads_by_campaign: dict[int, set[int]] = {}
        for obj in objs:
            leads_by_campaign.setdefault(obj.campaign_id, set()).add(obj.lead_id)
        states = {}
        for campaign_id, lead_ids in leads_by_campaign.items():
            rows = self.model.objects.filter(campaign_id=campaign_id, lead_id__in=lead_ids)
            for lead_id, state in rows.values_list("lead_id", "state"):
                states[(campaign_id, lead_id)] = state
        return states


def _insert_deltas(objs, existing: dict, *, state_updated: bool) -> Deltas:
    deltas = Deltas()
    for obj in objs:
        key = (obj.campaign_id, obj.lead_id)
        old = existing.get(key)
        if old is None:
            deltas[(obj.campaign_id, obj.state)] += 1
            existing[key] = obj.state  # the same lead twice in one call is one row
        elif state_updated and old != obj.state:
            deltas[(obj.campaign_id, old)] -= 1
            deltas[(obj.campaign_id, obj.state)] += 1
            existing[key] = obj.state
    return deltas


def counted_row_save(row, save: Callable[[], None], kwargs: dict) -> None:
    """``LeadSync.save``: insert or update one row and move its campaign's counts."""
    update_fields = kwargs.get("update_fields")
    with transaction.atomic():
        locked = push_counts_lock(campaign_ids=[row.campaign_id])
        old = None
        if row.pk is not None:
            old = type(row).objects.filter(pk=row.pk).values_list("state", flat=True).first()
        save()
        new = old if update_fields is not None and "state" not in update_fields else row.state
        deltas = Deltas()
        if old is not None:
            deltas[(row.campaign_id, old)] -= 1
        deltas[(row.campaign_id, new)] += 1
        _move(locked, deltas)


def counted_row_delete(row):
    """``LeadSync.delete``: one row, through the counted queryset."""
    return type(row).objects.filter(pk=row.pk).delete()


def push_counts_get(*, campaign_id: int) -> dict[str, int]:
    """The kept counts of a campaign's push rows: {state: rows}; one primary-key read."""
    counts = _counts_model().objects.filter(campaign_id=campaign_id).first()
    return dict(counts.by_state) if counts else {}


def push_counts_recount(*, campaign_id: int) -> dict[str, int]:
    """Count the campaign's push rows for real and correct the kept counts. Returns the
    drift found, {state: kept − real} (empty when they agreed), and logs it."""
    lead_sync = apps.get_model("sync", "LeadSync")
    with transaction.atomic():
        rows = lead_sync.objects.filter(campaign_id=campaign_id)
        locked = push_counts_lock(campaign_ids=[campaign_id], create=rows.exists())
        counts = locked.get(campaign_id)
        if counts is None:
            return {}
        real = {state: n for (_, state), n in _grouped(rows).items() if n}
        kept = {state: n for state, n in counts.by_state.items() if n}
        drift = {
            state: kept.get(state, 0) - real.get(state, 0)
            for state in set(kept) | set(real)
            if kept.get(state, 0) != real.get(state, 0)
        }
        if drift:
            logger.warning(
                "Push counts of campaign %s drifted (kept − real): %s; corrected to %s",
                campaign_id,
                drift,
                real,
            )
        counts.by_state = real
        counts.recounted_at = timezone.now()
        counts.save(update_fields=["by_state", "recounted_at"])
    return drift


def push_counts_recount_all() -> int:
    """The beat's recount of every campaign that has push rows or kept counts. Returns
    how many campaigns had drifted."""
    lead_sync = apps.get_model("sync", "LeadSync")
    campaign = apps.get_model("campaigns", "Campaign")
    drifted = 0
    for campaign_id in campaign.objects.order_by("pk").values_list("pk", flat=True):
        has_rows = lead_sync.objects.filter(campaign_id=campaign_id).exists()
        if has_rows or _counts_model().objects.filter(campaign_id=campaign_id).exists():
            drifted += bool(push_counts_recount(campaign_id=campaign_id))
    return drifted
