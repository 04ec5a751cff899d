"""Events and their deliveries, written in the transaction of the change they tell of.

An event goes to the active endpoints of the team that owns the data (the lead list's
team for a lead's outcome or disposition, and for an import), each endpoint that chose
its type. Nothing is written when no endpoint wants it. Each delivery is a sync job
(``Operation.WEBHOOK_DELIVERY``), so the outbox's claiming, retries with backoff, attempt
limit and sweeper send it; Celery learns its id only after commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from dialer_console.errors import ApplicationError
from sync.models import Operation
from sync.services.jobs import sync_job_enqueue
from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def event_body(event: WebhookEvent) -> bytes:
    """The exact bytes every delivery of ``event`` sends (and signs)."""
    body = {
        "id": event.event_id,
        "type": event.type,
        "created": _iso(event.created_at),
        "team": event.team_id,
        "data": event.data,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def _endpoints_wanting(team_id: int, event_type: str) -> list[WebhookEndpoint]:
    # Filtered here, not with a JSON containment lookup: SQLite has none.
    endpoints = WebhookEndpoint.objects.filter(team_id=team_id, active=True)
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def _delivery_enqueue(
    endpoint: WebhookEndpoint, event: WebhookEvent, replay_of: WebhookDelivery | None = None
) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, replay_of=replay_of)
    job = sync_job_enqueue(
        account=None,
        operation=Operation.WEBHOOK_DELIVERY,
        campaign=None,
        payload={"delivery_id": delivery.pk},
        reason=f"Webhook {event.type} {event.event_id}",
        max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
    )
    delivery.job_id = job.pk
    delivery.save(update_fields=["job_id"])
    return delivery


@transaction.atomic
def webhook_events_emit(
    *, team_id: int | None, event_type: str, items: Iterable[dict]
) -> list[WebhookEvent]:
    """One event per item of ``items`` (each the event's ``data``), delivered to every
    active endpoint of the team that chose ``event_type``."""
    if team_id is None:
        return []
    endpoints = _endpoints_wanting(team_id, event_type)
    if not endpoints:
        return []
    events = []
    for data in items:
        event = WebhookEvent.objects.create(
            event_id="evt_" + uuid.uuid4().hex, team_id=team_id, type=event_type, data=data
        )
        for endpoint in endpoints:
            _delivery_enqueue(endpoint, event)
        events.append(event)
    return events


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """The Replay button: the same event (same id, same body) sent again to the same
    endpoint as a new delivery, with a fresh signature."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if not endpoint.active:
        raise ApplicationError(gettext("The endpoint is switched off: switch it on to replay."))
    return _delivery_enqueue(endpoint, delivery.event, replay_of=delivery)


# --- what the rest of the console calls -------------------------------------------------


def _lead_ref(lead) -> dict:
    return {"id": lead.pk, "phone": lead.phone, "lead_list": lead.lead_list_id}


def webhooks_on_dialer_results(*, campaign, rows) -> None:
    """The dialer's results just filed for ``campaign`` (``LeadResult`` rows created or
    changed): one outcome.recorded event per lead, for the team owning its list."""
    from leads.models import Lead

    rows = list(rows)
    if not rows:
        return
    teams = _teams_wanting(EventType.OUTCOME_RECORDED)
    if not teams:
        return
    leads = Lead.objects.filter(pk__in=[row.lead_id for row in rows]).select_related("lead_list")
    by_id = {lead.pk: lead for lead in leads if lead.lead_list.team_id in teams}
    per_team: dict[int, list[dict]] = {}
    for row in rows:
        lead = by_id.get(row.lead_id)
        if lead is None:
            continue
        per_team.setdefault(lead.lead_list.team_id, []).append(
            {
                "source": "dialer",
                "campaign": {"id": campaign.pk, "name": campaign.name},
                "lead": _lead_ref(lead),
                "result_raw": row.last_result_raw,
                "result_code": row.last_result_code,
                "attempts": row.attempts,
                "last_attempt_at": _iso(row.last_attempt_at),
                "next_attempt_at": _iso(row.next_attempt_at),
                "done": row.done,
                "agent": row.agent,
            }
        )
    for team_id, items in per_team.items():
        webhook_events_emit(team_id=team_id, event_type=EventType.OUTCOME_RECORDED, items=items)


def _teams_wanting(event_type: str) -> set[int]:
    rows = WebhookEndpoint.objects.filter(active=True).values_list("team_id", "events")
    return {team_id for team_id, events in rows if event_type in events}


def webhooks_on_disposition(*, disposition) -> None:
    """A disposition recorded in the console: disposition.recorded, and outcome.recorded
    (an outcome is a dialer's result or a disposition)."""
    lead = disposition.lead
    team_id = lead.lead_list.team_id
    data = {
        "campaign": {"id": disposition.campaign_id, "name": disposition.campaign.name},
        "lead": _lead_ref(lead),
        "code": disposition.code,
        "label": disposition.label,
        "final": disposition.is_final,
        "success": disposition.is_success,
        "callback_at": _iso(disposition.callback_at),
        "retry_at": _iso(disposition.retry_at),
        "do_not_call": disposition.is_do_not_call,
        "note": disposition.note,
        "recorded_at": _iso(disposition.recorded_at),
        "recorded_by": disposition.recorded_by.get_username() if disposition.recorded_by else "",
    }
    webhook_events_emit(team_id=team_id, event_type=EventType.DISPOSITION_RECORDED, items=[data])
    outcome = {
        "source": "console",
        "campaign": data["campaign"],
        "lead": data["lead"],
        "result_raw": disposition.label,
        "result_code": disposition.code,
        "done": disposition.is_final,
        "recorded_at": data["recorded_at"],
    }
    webhook_events_emit(team_id=team_id, event_type=EventType.OUTCOME_RECORDED, items=[outcome])


def webhooks_on_import_finished(*, import_job) -> None:
    lead_list = import_job.lead_list
    data = {
        "import": {"id": import_job.pk, "file": import_job.original_name},
        "lead_list": {"id": lead_list.pk, "name": lead_list.name},
        "imported": import_job.imported_count,
        "updated": import_job.updated_count,
        "duplicates": import_job.duplicate_count,
        "invalid_phone": import_job.invalid_phone_count,
        "dnc": import_job.dnc_count,
        "malformed": import_job.malformed_count,
        "finished_at": _iso(import_job.finished_at),
    }
    webhook_events_emit(
        team_id=lead_list.team_id, event_type=EventType.IMPORT_FINISHED, items=[data]
    )


def webhook_log_prune(*, now: datetime | None = None) -> int:
    """Delete deliveries older than ``WEBHOOK_RETENTION_DAYS`` that are finished (a
    delivery still waiting or retrying stays), then the events none of whose deliveries
    is left; return how many deliveries were deleted."""
    from django.utils import timezone

    from webhooks.models import DeliveryState

    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    open_states = (DeliveryState.PENDING, DeliveryState.RETRYING)
    deleted, _ = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(state__in=open_states)
    ).delete()
    WebhookEvent.objects.filter(created_at__lt=cutoff, deliveries__isnull=True).delete()
    return deleted
