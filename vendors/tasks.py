import httpx
from celery import shared_task

from vendors.services import vendor_call_prune as prune_old_calls


@shared_task(name="vendors.tasks.vendor_call_prune")
def vendor_call_prune() -> int:
    return prune_old_calls()


# The sandbox's own deliveries wait this long for the console to answer.
SANDBOX_DELIVERY_TIMEOUT_SECONDS = 30.0


@shared_task(name="vendors.tasks.sandbox_deliver", ignore_result=True)
def sandbox_deliver(url: str, body: str) -> int:
    """The sandbox dialer POSTs a callback to the URL the console gave it (its own
    receiving endpoint): the vendor's side of the wire, so no call log and no egress
    rules, as for a real dialer's request."""
    response = httpx.post(
        url,
        content=body.encode(),
        headers={"Content-Type": "application/json"},
        timeout=SANDBOX_DELIVERY_TIMEOUT_SECONDS,
    )
    return response.status_code
