"""Read-only views of the recycling tables: the pages and services are how they change."""

from django.contrib import admin

from results.models import Callback, LeadRecycle, RecycleRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecycleRule)
class RecycleRuleAdmin(ReadOnlyAdmin):
    list_display = ("id", "disposition_list", "campaign", "match_kind", "match_code", "action",
                    "delay_minutes", "max_times")  # fmt: skip
    list_filter = ("match_kind", "action")
    list_select_related = ("disposition_list", "campaign")


@admin.register(LeadRecycle)
class LeadRecycleAdmin(ReadOnlyAdmin):
    list_display = ("id", "campaign", "lead", "match_kind", "match_code", "times", "last_due_at")
    list_select_related = ("campaign", "lead")
    show_full_result_count = False


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ("id", "campaign", "lead", "due_at", "state", "via", "closed_at")
    list_filter = ("state", "via")
    list_select_related = ("campaign", "lead")
    show_full_result_count = False
