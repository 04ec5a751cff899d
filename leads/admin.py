from django.contrib import admin

from leads.models import (
    DncEntry,
    ImportJob,
    ImportRejection,
    ImportStagingRow,
    Lead,
    LeadList,
    MappingTemplate,
)


@admin.register(LeadList)
class LeadListAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "total_count", "valid_count", "dnc_count", "created_at"]
    list_filter = ["team"]
    search_fields = ["name"]
    readonly_fields = [
        "total_count", "valid_count", "invalid_count", "duplicate_count", "dnc_count",
    ]  # fmt: skip


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["phone", "first_name", "last_name", "lead_list", "status", "timezone"]
    list_filter = ["status"]
    search_fields = ["phone", "last_name", "email"]
    raw_id_fields = ["lead_list", "import_job"]
    show_full_result_count = False  # lists run to millions of rows


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "lead_list",
        "state",
        "rows_read",
        "imported_count",
        "created_at",
    ]
    list_filter = ["state"]
    raw_id_fields = ["lead_list"]
    readonly_fields = ["header", "mapping"]


@admin.register(DncEntry)
class DncEntryAdmin(admin.ModelAdmin):
    list_display = ["phone", "scope", "campaign_id", "lead_list", "reason", "expires_at", "source"]
    list_filter = ["scope", "source"]
    search_fields = ["phone"]
    raw_id_fields = ["lead_list"]


@admin.register(MappingTemplate)
class MappingTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "created_at"]


@admin.register(ImportRejection)
class ImportRejectionAdmin(admin.ModelAdmin):
    list_display = ["job", "row_number", "reason", "detail"]
    list_filter = ["reason"]
    raw_id_fields = ["job"]
    show_full_result_count = False


@admin.register(ImportStagingRow)
class ImportStagingRowAdmin(admin.ModelAdmin):
    """Rows of running imports, to look at when one is stuck; read-only."""

    list_display = ["job_id", "row_number", "phone", "outcome"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
