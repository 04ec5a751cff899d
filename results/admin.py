"""Read-only views of the kept result counts: ``results.kept_counts`` moves them and beat
recounts them hourly."""

from django.contrib import admin

from dialer_console.admin_tools import BigTableAdmin
from results.models import ResultCount, ResultCountsState
from sync.admin import ReadOnlyAdmin


@admin.register(ResultCount)
class ResultCountAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("campaign", "figure", "lead_list", "day", "key", "code", "n")
    list_filter = ("figure",)
    list_select_related = ("campaign", "lead_list")


@admin.register(ResultCountsState)
class ResultCountsStateAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "zone", "recounted_at", "drift")
    list_select_related = ("campaign",)
