import smtplib

from celery import shared_task

from accounts.mail import password_link_deliver

# A mail server that refuses is retried with backoff: 30 s, 1, 2, 4, 8 minutes.
MAIL_RETRIES = 5


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=False,
    max_retries=MAIL_RETRIES,
)
def password_link_email(user_id: int, kind: str, sent_by_id: int | None) -> bool:
    return password_link_deliver(user_id=user_id, kind=kind, sent_by_id=sent_by_id)
