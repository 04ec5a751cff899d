from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LeadList(models.Model):
    """A list of leads owned by a team. The counts are kept by
    ``services.lead_list_counts_refresh`` after each change, so no page counts leads."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_lists"
    )
    default_country = models.CharField(
        max_length=2, default="US", help_text=_("ISO country code used to read national numbers.")
    )
    default_timezone = models.CharField(
        max_length=64,
        default="UTC",
        help_text=_("Used when a number does not tell its own time zone."),
    )
    total_count = models.PositiveIntegerField(default=0)
    valid_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    dnc_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        # The lead-list page's sortable columns (dialer_console.keyset), id breaking ties.
        indexes = [
            models.Index(fields=["name", "id"], name="leadlist_name_id"),
            models.Index(fields=["created_at", "id"], name="leadlist_created_id"),
        ]

    def __str__(self) -> str:
        return self.name


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    INVALID = "invalid", _("Invalid")
    DNC = "dnc", _("Do not call")
    REMOVED = "removed", _("Removed")
    DONE = "done", _("Done (final disposition)")


class Lead(models.Model):
    # No single-column indexes on the foreign keys: the composite indexes below lead with
    # them, and every index costs time on a million-row import.
    lead_list = models.ForeignKey(
        LeadList, on_delete=models.CASCADE, related_name="leads", db_index=False
    )
    phone = models.CharField(max_length=16, help_text=_("E.164"))
    # [{"phone": "+4930...", "kind": "mobile", "priority": 1}, ...] in priority order.
    alternate_phones = models.JSONField(default=list, blank=True)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    priority = models.IntegerField(default=0)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW)
    import_job = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        db_index=False,
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        # Few indexes on purpose: each one is maintained for every imported row. Dedupe in
        # a list reads its rows through (lead_list, status, id) and hashes the phones.
        indexes = [
            # Pattern ops: the index serves equality (dedupe, DNC scrub) and also the lead
            # search's "numbers starting with" (LIKE '+49301%'), which on PostgreSQL a
            # default-collation index cannot; one index, as before, for the import to keep.
            models.Index(
                fields=["phone"], name="lead_phone_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["import_job", "source_row"]),
            models.Index(fields=["lead_list", "status", "id"]),
            # A list's page and the API's ?lead_list= read one list in id order across
            # statuses: (lead_list, status, id) cannot give that order, and without this
            # index the plan walks the primary key from id 0 and filters by list.
            models.Index(fields=["lead_list", "id"], name="lead_list_id_order"),
            # A phone prefix search within a list is a LIKE 'prefix%': on PostgreSQL only a
            # pattern-ops index serves it (as for DNC entries); the list leads it.
            models.Index(
                fields=["lead_list", "phone"],
                name="lead_list_phone_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            # Removed leads that a dialer may still hold: the sync looks them up on every
            # campaign run, and they are few, so a partial index keeps that lookup small.
            models.Index(fields=["id"], condition=Q(status="removed"), name="lead_removed"),
        ]

    def __str__(self) -> str:
        return self.phone


class DuplicatePolicy(models.TextChoices):
    SKIP = "skip", _("Skip the new row")
    UPDATE = "update", _("Update the existing lead")
    KEEP_BOTH = "keep_both", _("Keep both")


class DuplicateScope(models.TextChoices):
    LIST = "list", _("This list")
    CAMPAIGN = "campaign", _("This campaign's lists")
    EVERYWHERE = "everywhere", _("Every list")


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    INTERRUPTED = "interrupted", _("Interrupted, will resume")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class ImportJob(models.Model):
    """One upload of a lead file and its run. Rows are read into ``ImportStagingRow`` in
    committed chunks (``rows_read`` is the checkpoint), then ``import_finish`` moves them
    into leads in one transaction: a job is never half-imported."""

    ACTIVE_STATES = (ImportState.QUEUED, ImportState.RUNNING, ImportState.INTERRUPTED)
    FINAL_STATES = (ImportState.DONE, ImportState.FAILED, ImportState.UNDONE)

    lead_list = models.ForeignKey(LeadList, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="lead-imports/%Y/%m/", blank=True)  # blank: API bulk add
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=8, default="csv")  # csv, xlsx or json (API)
    detected_encoding = models.CharField(max_length=32, blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    detected_delimiter = models.CharField(max_length=1, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    has_header = models.BooleanField(default=True)
    header = models.JSONField(default=list, blank=True)
    # One entry per column: {"target": "phone" | "alternate_phone" | ... | "ignore", ...}
    mapping = models.JSONField(default=list, blank=True)
    default_country = models.CharField(max_length=2, default="US")
    duplicate_policy = models.CharField(
        max_length=16, choices=DuplicatePolicy.choices, default=DuplicatePolicy.SKIP
    )
    duplicate_scope = models.CharField(
        max_length=16, choices=DuplicateScope.choices, default=DuplicateScope.LIST
    )
    # campaigns.Campaign id for the "this campaign's lists" scope; an integer, not a foreign
    # key, so that this app does not depend on the campaigns app's migrations.
    scope_campaign_id = models.BigIntegerField(null=True, blank=True)
    dnc_scrub = models.BooleanField(default=True)
    state = models.CharField(
        max_length=16, choices=ImportState.choices, default=ImportState.UPLOADED
    )
    phase = models.CharField(max_length=16, blank=True)  # reading, finishing
    rows_total = models.PositiveIntegerField(default=0, help_text=_("Estimated before reading."))
    rows_read = models.PositiveIntegerField(default=0)
    last_row_number = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    invalid_phone_count = models.PositiveIntegerField(default=0)
    dnc_count = models.PositiveIntegerField(default=0)
    malformed_count = models.PositiveIntegerField(default=0)
    blank_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who configured the import: duplicate detection and update stay within the lead lists
    # this user may see. None: the operator (``import_leads`` without ``--user``), unbounded.
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.lead_list}"

    @property
    def rejected_count(self) -> int:
        return (
            self.duplicate_count + self.invalid_phone_count + self.dnc_count + self.malformed_count
        )

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class RejectReason(models.TextChoices):
    INVALID_PHONE = "invalid_phone", _("Invalid phone number")
    MALFORMED = "malformed", _("Malformed row")
    DUPLICATE = "duplicate", _("Duplicate")
    DNC = "dnc", _("On the do-not-call list")


class ImportRejection(models.Model):
    """A row that was not imported, and why. The row's own text is not copied here: the
    error report reads it back from the stored file by row number."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=RejectReason.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["job_id", "row_number"]
        indexes = [models.Index(fields=["job", "row_number"])]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.get_reason_display()}"


class ImportStagingRow(models.Model):
    """A parsed, normalised row waiting for the set-based dedupe and DNC scrub. On
    PostgreSQL the table is UNLOGGED and filled by COPY; rows live only while a job runs."""

    # A plain column, not a foreign key: COPY would pay a constraint check per row, and the
    # rows are removed by the import itself (``import_finish`` / ``import_fail``).
    job_id = models.BigIntegerField()
    row_number = models.PositiveIntegerField()
    phone = models.CharField(max_length=16)
    alternate_phones = models.JSONField(default=list)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    custom_fields = models.JSONField(default=dict)
    priority = models.IntegerField(default=0)
    expires_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, blank=True)

    class Meta:
        # (job_id, phone): a chunk loaded while the file is still read looks up its numbers
        # among the job's earlier rows (repeats in the file); it also serves every
        # whole-job step, as the index on job_id alone did.
        indexes = [models.Index(fields=["job_id", "phone"], name="leads_staging_job_phone")]

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_number}"


class DncScope(models.TextChoices):
    EVERYWHERE = "everywhere", _("Everywhere")
    CAMPAIGN = "campaign", _("One campaign")
    LIST = "list", _("One lead list")


class DncEntry(models.Model):
    phone = models.CharField(max_length=16, help_text=_("E.164"))
    scope = models.CharField(max_length=16, choices=DncScope.choices, default=DncScope.EVERYWHERE)
    # campaigns.Campaign id; see ImportJob.scope_campaign_id for why it is not a foreign key.
    campaign_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    lead_list = models.ForeignKey(
        LeadList, null=True, blank=True, on_delete=models.CASCADE, related_name="dnc_entries"
    )
    reason = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text=_("Where the entry came from."))
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("DNC entry")
        verbose_name_plural = _("DNC entries")
        ordering = ["phone"]
        indexes = [
            models.Index(fields=["phone", "scope"]),
            # The page's search by a prefix of digits is a LIKE 'prefix%': on PostgreSQL
            # only a pattern-ops index serves it (the default collation's index cannot).
            models.Index(
                fields=["phone"], name="dncentry_phone_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["expires_at"], name="dncentry_expires_at"),
            # The page's sort by number, id breaking ties (dialer_console.keyset).
            models.Index(fields=["phone", "id"], name="dncentry_phone_id"),
        ]
        constraints = [
            # A number is listed once per scope and target (``dnc_entries_add`` relies on it
            # when two people add the same number at once).
            models.UniqueConstraint(
                fields=["phone"], condition=Q(scope="everywhere"), name="dnc_once_everywhere"
            ),
            models.UniqueConstraint(
                fields=["phone", "campaign_id"],
                condition=Q(scope="campaign"),
                name="dnc_once_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["phone", "lead_list"], condition=Q(scope="list"), name="dnc_once_per_list"
            ),
            models.CheckConstraint(
                name="dnc_scope_target",
                condition=(
                    Q(scope="everywhere", campaign_id__isnull=True, lead_list__isnull=True)
                    | Q(scope="campaign", campaign_id__isnull=False, lead_list__isnull=True)
                    | Q(scope="list", campaign_id__isnull=True, lead_list__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.get_scope_display()})"

    def is_active_at(self, when) -> bool:
        return self.expires_at is None or self.expires_at > when


class MappingTemplate(models.Model):
    """A saved column mapping: header name (case-folded) → mapping entry."""

    name = models.CharField(max_length=120)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    columns = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="mapping_template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DncFileState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DncFileJob(models.Model):
    """One uploaded file of numbers for the do-not-call list, read by the lead importer's
    reader (encoding, delimiter, header); each data line's outcome is a ``DncFileLine``."""

    ACTIVE_STATES = (DncFileState.QUEUED, DncFileState.RUNNING)

    file = models.FileField(upload_to="dnc-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=8, default="csv")  # csv or xlsx
    encoding = models.CharField(max_length=32, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    has_header = models.BooleanField(default=True)
    phone_column = models.PositiveSmallIntegerField(default=0)  # from 0
    phone_column_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, default="US")
    scope = models.CharField(max_length=16, choices=DncScope.choices, default=DncScope.EVERYWHERE)
    campaign_id = models.BigIntegerField(null=True, blank=True)  # see DncEntry.campaign_id
    lead_list = models.ForeignKey(
        LeadList, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=DncFileState.choices, default="queued")
    rows_total = models.PositiveIntegerField(default=0, help_text=_("Estimated before reading."))
    rows_read = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(default=0)
    renewed_count = models.PositiveIntegerField(default=0)
    already_listed_count = models.PositiveIntegerField(default=0)
    repeated_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    blank_count = models.PositiveIntegerField(default=0)
    leads_marked_count = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with each committed chunk: a job RUNNING without one for a while lost its
    # worker, and ``dnc_file_sweep_stale`` queues it to resume after ``rows_read``.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="dncfilejob_state_heartbeat")
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def lines_count(self) -> int:
        """Data lines with a number or a problem; blank lines are counted apart."""
        return (
            self.added_count
            + self.renewed_count
            + self.already_listed_count
            + self.repeated_count
            + self.refused_count
        )


class DncLineOutcome(models.TextChoices):
    ADDED = "added", _("Added")
    RENEWED = "renewed", _("Listed again (the listing had expired)")
    ALREADY_LISTED = "already_listed", _("Already on the list")
    REPEATED = "repeated", _("Repeated in the file")
    REFUSED = "refused", _("Refused")


class DncFileLine(models.Model):
    job = models.ForeignKey(DncFileJob, on_delete=models.CASCADE, related_name="lines")
    row_number = models.PositiveIntegerField()
    text = models.CharField(max_length=64, blank=True, help_text=_("The number as given."))
    phone = models.CharField(max_length=16, blank=True, help_text=_("E.164, when valid."))
    outcome = models.CharField(max_length=16, choices=DncLineOutcome.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["job_id", "row_number"]
        indexes = [
            models.Index(fields=["job", "outcome", "row_number"]),
            models.Index(fields=["job", "phone"]),  # a number repeated in the file
        ]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.get_outcome_display()}"


# Registered with the app here; importable from leads.models like every other model.
from leads.models_bulk import BulkRunSource, BulkRunState, LeadBulkRun  # noqa: E402, F401
from leads.models_dnc_hashed import DncHashedEntry  # noqa: E402, F401
