from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from dialer_console.models import WorkerHeartbeat

# Beat sends the heartbeat every HEARTBEAT_SECONDS; a worker silent for three periods is
# reported as down.
HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


@dataclass(frozen=True)
class WorkerStatus:
    alive: bool
    last_seen: datetime | None
    hostnames: tuple[str, ...]


def worker_status(*, now: datetime | None = None) -> WorkerStatus:
    now = now or timezone.now()
    beats = list(WorkerHeartbeat.objects.all())
    alive = tuple(beat.hostname for beat in beats if now - beat.seen_at <= STALE_AFTER)
    last_seen = max((beat.seen_at for beat in beats), default=None)
    return WorkerStatus(alive=bool(alive), last_seen=last_seen, hostnames=alive)
