from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class VendorKind(models.TextChoices):
    ACEFONE = "acefone", _("Acefone")
    VOICENTER = "voicenter", _("Voicenter")
    WEBITEL = "webitel", _("Webitel")
    JTEL = "jtel", _("jtel")
    OZONETEL = "ozonetel", _("Ozonetel")


class VendorAccount(models.Model):
    """One account on one remote dialer.

    Secret credentials (tokens, keys, passwords) live only in ``credentials_encrypted``
    (``vendors.crypto``); the non-secret connection options the adapter declares in its
    ``credential_fields`` (a user name, an auth mode) live in ``options``. Use
    ``vendors.services`` to write either.
    """

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=VendorKind.choices)
    base_url = models.URLField(max_length=300)
    credentials_encrypted = models.TextField(blank=True, editable=False)
    options = models.JSONField(default=dict, blank=True)
    health_checked_at = models.DateTimeField(null=True, blank=True)
    health_ok = models.BooleanField(null=True)
    health_message = models.CharField(max_length=500, blank=True)
    # The console's receiving endpoint for this account (results the dialer pushes): the
    # token names the account in the URL, the secret (encrypted like the credentials,
    # shown once when made) proves the sender. Both empty until one is made.
    receiving_token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    receiving_secret_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="vendoraccount_name_id")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def health_label(self) -> str:
        if self.health_ok is None:
            return gettext("not checked")
        return gettext("healthy") if self.health_ok else gettext("failing")


class VendorCall(models.Model):
    """One exchange with a vendor, already redacted by the client builder: the first place
    to look when a dialer misbehaves. Pruned after ``VENDOR_CALL_RETENTION_DAYS``."""

    account = models.ForeignKey(
        VendorAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    vendor_kind = models.CharField(max_length=20, choices=VendorKind.choices)
    operation = models.CharField(max_length=60, blank=True)
    method = models.CharField(max_length=10)
    url = models.CharField(max_length=2000)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    request_excerpt = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "-at", "-id"], name="vendorcall_account_at_id")]

    def __str__(self) -> str:
        return f"{self.method} {self.operation or self.url} → {self.status_code or self.error}"

    @property
    def failed(self) -> bool:
        return bool(self.error) or self.status_code is None or self.status_code >= 400


class SandboxState(models.Model):
    """The state of one sandbox emulator (``vendors.sandbox_state``), shared by every web
    process: each sandbox request locks its kind's row, loads the state unless this
    process already holds that ``revision``, lets the emulator answer, and saves."""

    kind = models.CharField(max_length=20, primary_key=True)
    # A fresh random tag per save; empty for a dialer in its initial state.
    revision = models.CharField(max_length=32, blank=True)
    state = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sandbox {self.kind} @ {self.revision or 'initial'}"
