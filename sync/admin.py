"""Read-only views of the sync tables: the pages and services are how they change."""

from django.contrib import admin

from dialer_console.admin_tools import BigTableAdmin, phone_prefix
from sync.models import CampaignRemote, LeadSync, PendingSnapshot, PushCounts, SyncJob


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SyncJob)
class SyncJobAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("id", "operation", "campaign", "account", "state", "attempts", "updated_at")
    list_filter = ("state", "operation", "needs_attention", "account")
    search_fields = ("=id", "=lead_id")  # exact: a text scan of millions of jobs stalls
    list_select_related = ("campaign", "account")


@admin.register(CampaignRemote)
class CampaignRemoteAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "state", "last_synced_at", "pending_calls", "pending_fetched_at")
    list_filter = ("state",)
    list_select_related = ("campaign",)


@admin.register(LeadSync)
class LeadSyncAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("id", "campaign", "lead", "state", "remote_id", "pushed_at")
    list_filter = ("state",)
    search_fields = ("remote_id", "lead__phone")
    search_help_text = "The dialer's id of a lead, or the lead's phone number prefix."
    list_select_related = ("campaign", "lead")

    def get_search_results(self, request, queryset, search_term):
        """The dialer's id exactly, or the lead's phone by prefix: both served by an index,
        where the admin's ``%…%`` would scan millions of rows."""
        term = search_term.strip()
        if not term:
            return queryset, False
        prefix = phone_prefix(term)
        if prefix:
            return queryset.filter(lead__phone__startswith=prefix), False
        return queryset.filter(remote_id=term), False


@admin.register(PendingSnapshot)
class PendingSnapshotAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("campaign", "pending", "total", "state", "fetched_at")
    list_select_related = ("campaign",)


@admin.register(PushCounts)
class PushCountsAdmin(ReadOnlyAdmin):
    """The kept counts: ``sync.push_counts`` moves them; beat recounts them hourly."""

    list_display = ("campaign", "by_state", "recounted_at")
    list_select_related = ("campaign",)
