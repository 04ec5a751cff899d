"""One-time links to set a password, sent by e-mail through Django's mail settings.

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
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from dialer_console.errors import ApplicationError

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
    """E-mail ``user`` a link to set their password: an invitation or a reset."""
    context = {
        "user": user,
        "link": password_link(user=user),
        "sent_by": sent_by,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"accounts/email/{kind}_subject.txt", context)
    body = render_to_string(f"accounts/email/{kind}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("The %s e-mail to user %s failed: %r", kind, user.pk, exc)
        raise ApplicationError(
            _(
                "The e-mail to %(email)s could not be sent (%(error)s): check the console's "
                "e-mail settings, or try again."
            )
            % {"email": user.email, "error": type(exc).__name__},
            {"code": "mail_failed"},
        ) from None
