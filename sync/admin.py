"""Read-only views of the sync tables: the pages and services are how they change."""

from django.contrib import admin

from sync.models import CampaignRemote, LeadSync, PendingSnapshot, SyncJob


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SyncJob)
class SyncJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "operation", "campaign", "account", "state", "attempts", "updated_at")
    list_filter = ("state", "operation", "needs_attention", "account")
    search_fields = ("reason", "last_error")
    list_select_related = ("campaign", "account")


@admin.register(CampaignRemote)
class CampaignRemoteAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "state", "last_synced_at", "pending_calls", "pending_fetched_at")
    list_filter = ("state",)
    list_select_related = ("campaign",)


@admin.register(LeadSync)
class LeadSyncAdmin(ReadOnlyAdmin):
    list_display = ("id", "campaign", "lead", "state", "remote_id", "pushed_at")
    list_filter = ("state",)
    search_fields = ("remote_id", "lead__phone")
    list_select_related = ("campaign", "lead")


@admin.register(PendingSnapshot)
class PendingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "pending", "total", "state", "fetched_at")
    list_select_related = ("campaign",)
