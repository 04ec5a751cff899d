"""One-time links to set a password, sent by e-mail through Django's mail settings, by a
Celery task queued when the request's transaction commits (``password_link_send``): a
slow or failing mail server neither holds the request nor rolls back the user. The task
retries a refused send with backoff (``accounts.tasks.password_link_email``) and logs
each failure.

The link carries Django's password-reset token: it expires after PASSWORD_RESET_TIMEOUT
and stops working once the password changes (the token hashes the password and the last
login), so it works once. Links point at SITE_URL, never at the request's Host header,
which a client chooses.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language, override

from accounts.models import User

logger = logging.getLogger(__name__)

INVITE = "invite"
RESET = "reset"


def password_link(*, user: User) -> str:
    path = reverse(
        "accounts:password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def password_link_send(*, user: User, kind: str, sent_by: User | None) -> None:
    """Queue the e-mail giving ``user`` a link to set their password (an invitation or a
    reset): the task is published once the current transaction commits, so a user whose
    creation rolls back is never mailed."""
    _queue(user.pk, kind, sent_by.pk if sent_by is not None else None)


def _queue(user_id: int, kind: str, sent_by_id: int | None) -> None:
    # Robust: a broker that is down is logged, and does not turn the committed change
    # into an error page.
    transaction.on_commit(lambda: _publish(user_id, kind, sent_by_id), robust=True)


def _publish(user_id: int, kind: str, sent_by_id: int | None) -> None:
    from accounts.tasks import password_link_email

    password_link_email.delay(user_id, kind, sent_by_id)


def password_link_deliver(*, user_id: int, kind: str, sent_by_id: int | None) -> bool:
    """Send the e-mail now (the task's work). False when there is nobody to send it to any
    more (deactivated, or the address removed); a mail server's refusal is logged and
    raised, for the task to retry."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or kind not in (INVITE, RESET):
        return False
    sent_by = User.objects.filter(pk=sent_by_id).first() if sent_by_id else None
    context = {
        "user": user,
        "link": password_link(user=user),
        "sent_by": sent_by,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_url": settings.SITE_URL,
    }
    # In the recipient's own language when they chose one, else in the sender's.
    with override(user.language or get_language()):
        subject = render_to_string(f"accounts/email/{kind}_subject.txt", context)
        body = render_to_string(f"accounts/email/{kind}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("The %s e-mail to user %s failed: %r", kind, user.pk, exc)
        raise
    return True
