from django.contrib import admin
from django.db import models

from dialer_console.admin_tools import BigTableAdmin
from vendors.adapters.operations import OPERATION_NAMES, operation_label
from vendors.models import SandboxState, VendorAccount, VendorCall


class OperationFilter(admin.SimpleListFilter):
    """The operations by name, from the adapters' fixed set: the default filter ran a
    SELECT DISTINCT over the whole call log on every page."""

    title = "operation"
    parameter_name = "operation"

    def lookups(self, request, model_admin):
        return sorted(((code, operation_label(code)) for code in OPERATION_NAMES), key=_label)

    def queryset(self, request, queryset):
        return queryset.filter(operation=self.value()) if self.value() else queryset


class OutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("ok", "Succeeded"), ("failed", "Failed")]

    def queryset(self, request, queryset):
        ok = {"status_code__lt": 400, "error": ""}
        if self.value() == "ok":
            return queryset.filter(**ok)
        if self.value() == "failed":
            return queryset.exclude(**ok)
        return queryset


def _label(choice: tuple[str, str]) -> str:
    return choice[1].lower()


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
class VendorCallAdmin(BigTableAdmin):
    list_display = (
        "at",
        "vendor_kind",
        "account",
        "operation",
        "method",
        "status_code",
        "duration_ms",
    )
    # Fixed date ranges rather than ``date_hierarchy``, whose SELECT DISTINCT of every
    # call's day read the whole log on each page.
    list_filter = ("at", "vendor_kind", OperationFilter, OutcomeFilter)
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
