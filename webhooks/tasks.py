from celery import shared_task

from webhooks.services.events import webhook_log_prune as prune_old_deliveries


@shared_task(name="webhooks.tasks.webhook_log_prune", ignore_result=True)
def webhook_log_prune() -> int:
    return prune_old_deliveries()
