from django.contrib import admin
from django.db import models

from vendors.models import SandboxState, VendorAccount, VendorCall


@admin.register(VendorAccount)
class VendorAccountAdmin(admin.ModelAdmin):
    """Read-mostly: credentials are set through the console's account form, which
    encrypts them; the admin never shows or edits them."""

    list_display = ("name", "kind", "base_url", "health_ok", "health_checked_at")
    list_filter = ("kind", "health_ok")
    search_fields = ("name", "base_url")
    fields = ("name", "kind", "base_url", "options", "health_ok", "health_message")
    readonly_fields = ("kind", "options", "health_ok", "health_message")
    # A base URL typed without a scheme is https, as Django 6 will assume anyway.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(VendorCall)
class VendorCallAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "vendor_kind",
        "account",
        "operation",
        "method",
        "status_code",
        "duration_ms",
    )
    list_filter = ("vendor_kind", "operation", "status_code")
    search_fields = ("url", "operation", "error")
    date_hierarchy = "at"
    list_select_related = ("account",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SandboxState)
class SandboxStateAdmin(admin.ModelAdmin):
    """The sandbox emulators' shared state: which dialers hold state and since when. The
    state itself is the emulator's pickle, never shown; ``POST /sandbox/<kind>/_reset``
    forgets it."""

    list_display = ("kind", "revision", "updated_at")
    fields = ("kind", "revision", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
