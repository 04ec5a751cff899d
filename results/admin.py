"""Read-only views of the results tables: the kept result counts (``results.kept_counts``
moves them, beat recounts them hourly) and the recycling tables (the pages and services
are how they change)."""

from django.contrib import admin

from dialer_console.admin_tools import BigTableAdmin, ReadOnlyAdmin
from results.models import Callback, LeadRecycle, RecycleRule, ResultCount, ResultCountsState


@admin.register(ResultCount)
class ResultCountAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("campaign", "figure", "lead_list", "day", "key", "code", "n")
    list_filter = ("figure",)
    list_select_related = ("campaign", "lead_list")


@admin.register(ResultCountsState)
class ResultCountsStateAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "zone", "recounted_at", "drift")
    list_select_related = ("campaign",)


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
