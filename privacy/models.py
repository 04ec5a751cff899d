"""The record of each erasure of a person (GDPR Art. 17; Israel's Privacy Protection
Law §14; India's DPDP Act §12): who erased, when, and how many rows of each table it
changed, never whom. ``ErasureHold`` keeps, per lead a dialer still holds, only the lead's
id: its number stays on the lead until every dialer has dropped it (Voicenter and
Ozonetel remove a member by its number), then ``privacy.services.erasures_finish``
blanks it and scrubs what the removal itself logged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the dialers to drop the leads")
    DONE = "done", _("Done")


class PersonErasure(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=16, choices=ErasureState.choices, default=ErasureState.WAITING
    )
    # What was searched by, as words ("phone", "email"), never the values.
    searched_by = models.JSONField(default=list)
    dnc_listed = models.BooleanField(
        default=False, help_text=_("The number went on the do-not-call list as a keyed hash.")
    )
    # "app.Model" -> rows erased, deleted or scrubbed, as the privacy registry names them.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure #{self.pk} ({self.get_state_display()})"

    @property
    def rows_total(self) -> int:
        return sum(self.counts.values())


class ErasureHold(models.Model):
    erasure = models.ForeignKey(PersonErasure, on_delete=models.CASCADE, related_name="holds")
    lead_id = models.BigIntegerField(unique=True)

    def __str__(self) -> str:
        return f"erasure {self.erasure_id}: lead {self.lead_id}"
