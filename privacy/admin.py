from django.contrib import admin

from privacy.models import ErasureHold, PersonErasure


@admin.register(PersonErasure)
class PersonErasureAdmin(admin.ModelAdmin):
    """Read-only: an erasure is made on its page (/privacy/erase/), never edited."""

    list_display = ["id", "requested_by", "created_at", "state", "dnc_listed", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ErasureHold)
class ErasureHoldAdmin(admin.ModelAdmin):
    """The leads an erasure waits for the dialers to drop (ids only)."""

    list_display = ["erasure", "lead_id"]
    list_select_related = ["erasure"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
