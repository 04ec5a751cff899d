from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class ReadOnlyLogEntryAdmin(LogEntryAdmin):
    """django-auditlog's admin refuses adding and changing; deleting is refused too (its
    own admin allows it where a deleted object cascades to its entries)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)
