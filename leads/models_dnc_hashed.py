"""Numbers on the do-not-call list stored only as a keyed hash (HMAC-SHA256 with
``ERASURE_HASH_KEY``): what an erased person's number becomes, so it still blocks a
re-import while the console no longer holds the number itself. Kept apart from
``leads.models`` (imported at its end) so that module stays under the size the house
allows; matching is ``leads.dnc_hashed``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DncHashedEntry(models.Model):
    # Unique, so indexed: an import looks up each chunk's hashes by equality.
    phone_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hashed DNC entry")
        verbose_name_plural = _("hashed DNC entries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"hashed number {self.phone_hash[:12]}…"
