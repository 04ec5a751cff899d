from django.contrib import admin

from dialer_console.admin_tools import ReadOnlyAdmin
from privacy.models import ErasureHold, PersonErasure


class ErasureRecordAdmin(ReadOnlyAdmin):
    """An erasure's records are never deleted through the admin either."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PersonErasure)
class PersonErasureAdmin(ErasureRecordAdmin):
    """Read-only: an erasure is made on its page (/privacy/erase/), never edited."""

    list_display = ["id", "requested_by", "created_at", "state", "dnc_listed", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["requested_by"]


@admin.register(ErasureHold)
class ErasureHoldAdmin(ErasureRecordAdmin):
    """The leads an erasure waits for the dialers to drop (ids only)."""

    list_display = ["erasure", "lead_id"]
    list_select_related = ["erasure"]
