"""The per-lead change history. Every other audit entry is django-auditlog's LogEntry
(``auditlog.models.LogEntry``); leads are too many for a row signal each, so a change to
leads is written set-based here, one INSERT … SELECT per batch, beside one LogEntry for
the whole action (``audit.services``).

``lead_id`` is not a foreign key: deleting a million leads must not have Django collect
their history first. ``before``/``after`` hold the lead's changed values, personal ones
included (a re-import's new name); erasing a person deletes their rows by ``lead_id``
(docs: README "Audit trail")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadChangeKind(models.TextChoices):
    IMPORT_UPDATE = "import_update", _("Updated by a re-import")
    IMPORT_UNDO = "import_undo", _("Removed by undoing its import")
    BULK_DNC = "bulk_dnc", _("Marked do-not-call in bulk")
    BULK_MOVE = "bulk_move", _("Moved to another list")
    BULK_DELETE = "bulk_delete", _("Removed (waiting to leave a dialer)")
    BULK_RECYCLE = "bulk_recycle", _("Recycled (queued again)")
    DNC_LISTED = "dnc_listed", _("Its number was put on the do-not-call list")


class LeadChange(models.Model):
    lead_id = models.BigIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=LeadChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    door = models.CharField(max_length=8)
    # The action it was part of: an import or a bulk run (ids, not keys: either may go).
    import_job_id = models.BigIntegerField(null=True, blank=True)
    bulk_run_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["lead_id", "at"], name="leadchange_lead_at"),
            models.Index(fields=["at"], name="leadchange_at"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id}: {self.get_kind_display()}"

    @property
    def changes(self) -> dict[str, tuple]:
        """Field -> (old, new) for the fields whose value differs."""
        keys = [*self.before, *(k for k in self.after if k not in self.before)]
        return {
            key: (self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        }
