"""Read-only views of the sync tables: the pages and services are how they change."""

from django.contrib import admin

from dialer_console.admin_tools import BigTableAdmin, PhonePrefixSearchMixin, ReadOnlyAdmin
from sync.models import CampaignRemote, LeadSync, PendingSnapshot, PushCounts, SyncJob


@admin.register(SyncJob)
class SyncJobAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("id", "operation", "campaign", "account", "state", "attempts", "updated_at")
    list_filter = ("state", "operation", "needs_attention", "account")
    search_fields = ("=id",)  # by number: a text scan of millions of jobs would stall
    list_select_related = ("campaign", "account")


@admin.register(CampaignRemote)
class CampaignRemoteAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "state", "last_synced_at", "pending_calls", "pending_fetched_at")
    list_filter = ("state",)
    list_select_related = ("campaign",)


@admin.register(LeadSync)
class LeadSyncAdmin(PhonePrefixSearchMixin, ReadOnlyAdmin, BigTableAdmin):
    """Searched by the lead's phone prefix, which the lead phone index serves; the admin's
    ``%…%`` over millions of rows would stall the database."""

    list_display = ("id", "campaign", "lead", "state", "remote_id", "pushed_at")
    list_filter = ("state",)
    list_select_related = ("campaign", "lead")
    phone_search_field = "lead__phone"


@admin.register(PendingSnapshot)
class PendingSnapshotAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("campaign", "pending", "total", "state", "fetched_at")
    list_select_related = ("campaign",)


@admin.register(PushCounts)
class PushCountsAdmin(ReadOnlyAdmin):
    """The kept counts: ``sync.push_counts`` moves them; beat recounts them hourly."""

    list_display = ("campaign", "by_state", "recounted_at")
    list_select_related = ("campaign",)
