from celery import shared_task

from vendors.services import vendor_call_prune as prune_old_calls


@shared_task(name="vendors.tasks.vendor_call_prune")
def vendor_call_prune() -> int:
    return prune_old_calls()
