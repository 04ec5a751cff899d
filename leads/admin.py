from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _

from dialer_console.admin_tools import BigTableAdmin, PhonePrefixSearchMixin
from leads.models import (
    DncEntry,
    DncFileJob,
    DncFileLine,
    DncHashedEntry,
    ImportJob,
    ImportRejection,
    ImportStagingRow,
    Lead,
    LeadBulkRun,
    LeadList,
    MappingTemplate,
)
from leads.phones import is_e164
from leads.services.dnc import DncTarget, dnc_leads_apply


@admin.register(LeadList)
class LeadListAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "total_count", "valid_count", "dnc_count", "created_at"]
    list_filter = ["team"]
    list_select_related = ["team"]
    search_fields = ["name"]
    readonly_fields = [
        "total_count", "valid_count", "invalid_count", "duplicate_count", "dnc_count",
    ]  # fmt: skip


@admin.register(Lead)
class LeadAdmin(PhonePrefixSearchMixin, BigTableAdmin):
    list_display = ["phone", "first_name", "last_name", "lead_list", "status", "timezone"]
    list_filter = ["status"]
    list_select_related = ["lead_list"]
    raw_id_fields = ["lead_list", "import_job"]


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
    list_select_related = ["lead_list"]
    raw_id_fields = ["lead_list"]
    readonly_fields = ["header", "mapping"]


class DncEntryAdminForm(forms.ModelForm):
    class Meta:
        model = DncEntry
        fields = ["phone", "scope", "campaign_id", "lead_list", "reason", "source", "expires_at"]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not is_e164(phone):
            raise forms.ValidationError(_("Give the number in E.164, like +12125550100."))
        return phone


@admin.register(DncEntry)
class DncEntryAdmin(PhonePrefixSearchMixin, BigTableAdmin):
    """Entries saved here take effect on waiting leads as they do from the console's own
    page (``dnc_leads_apply``), inside the admin's transaction."""

    form = DncEntryAdminForm
    list_display = ["phone", "scope", "campaign_id", "lead_list", "reason", "expires_at", "source"]
    # Not "source": free text, whose filter ran a SELECT DISTINCT over every entry.
    list_filter = ["scope"]
    list_select_related = ["lead_list"]
    raw_id_fields = ["lead_list"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.is_active_at(timezone.now()):
            target = DncTarget(obj.scope, obj.campaign_id, obj.lead_list)
            dnc_leads_apply(phones=[obj.phone], target=target)


@admin.register(MappingTemplate)
class MappingTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "created_at"]
    list_select_related = ["team"]


@admin.register(ImportRejection)
class ImportRejectionAdmin(BigTableAdmin):
    list_display = ["job", "row_number", "reason", "detail"]
    list_filter = ["reason"]
    list_select_related = ["job__lead_list"]
    raw_id_fields = ["job"]


@admin.register(ImportStagingRow)
class ImportStagingRowAdmin(BigTableAdmin):
    """Rows of running imports, to look at when one is stuck; read-only."""

    list_display = ["job_id", "row_number", "phone", "outcome"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Uploads of do-not-call numbers and their lines: written by the upload only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DncFileJob)
class DncFileJobAdmin(_ReadOnlyAdmin):
    list_display = [
        "original_name", "scope", "state", "rows_read", "added_count", "refused_count",
        "created_by", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "scope"]
    list_select_related = ["created_by"]


@admin.register(LeadBulkRun)
class LeadBulkRunAdmin(_ReadOnlyAdmin):
    list_display = [
        "action", "description", "state", "selected_count", "done_count", "skipped_count",
        "attempts", "created_by", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "action"]
    list_select_related = ["created_by"]


@admin.register(DncFileLine)
class DncFileLineAdmin(_ReadOnlyAdmin):
    list_display = ["job", "row_number", "text", "phone", "outcome", "detail"]
    list_filter = ["outcome"]
    raw_id_fields = ["job"]
    list_select_related = ["job"]
    show_full_result_count = False


@admin.register(DncHashedEntry)
class DncHashedEntryAdmin(_ReadOnlyAdmin):
    """Erased people's numbers, as keyed hashes only (leads.dnc_hashed)."""

    list_display = ["phone_hash", "created_at"]
    list_select_related = []
