from celery import shared_task
from celery.signals import worker_ready

from dialer_console.services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat(self) -> None:
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@worker_ready.connect
def heartbeat_when_ready(sender, **kwargs) -> None:
    """A worker is seen as soon as it is ready, not only at beat's first heartbeat half a
    minute later (until then the home page would say that no worker runs)."""
    worker_heartbeat_record(hostname=sender.hostname)
