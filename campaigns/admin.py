from django.contrib import admin

from campaigns import models
from dialer_console.admin_tools import BigTableAdmin


class DispositionCodeInline(admin.TabularInline):
    model = models.DispositionCode
    extra = 0


class PauseCodeInline(admin.TabularInline):
    model = models.PauseCode
    extra = 0


class CallingWindowDayInline(admin.TabularInline):
    model = models.CallingWindowDay
    extra = 0


class CallingWindowHolidayInline(admin.TabularInline):
    model = models.CallingWindowHoliday
    extra = 0


class AgentRemoteIdInline(admin.TabularInline):
    model = models.AgentRemoteId
    extra = 0


class CampaignLeadListInline(admin.TabularInline):
    model = models.CampaignLeadList
    extra = 0


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "vendor_account", "team", "updated_at"]
    list_filter = ["status", "vendor_account__kind"]
    search_fields = ["name", "description"]
    list_select_related = ["vendor_account", "team"]
    readonly_fields = ["status", "created_by", "updated_by", "created_at", "updated_at"]
    inlines = [CampaignLeadListInline]


@admin.register(models.Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "extension", "team", "active"]
    search_fields = ["name", "email", "extension"]
    list_select_related = ["team"]
    inlines = [AgentRemoteIdInline]


@admin.register(models.DispositionList)
class DispositionListAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    inlines = [DispositionCodeInline]


@admin.register(models.PauseCodeList)
class PauseCodeListAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    inlines = [PauseCodeInline]


@admin.register(models.CallingWindow)
class CallingWindowAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone_policy", "fixed_timezone"]
    inlines = [CallingWindowDayInline, CallingWindowHolidayInline]


# The rows also have their own lists, for looking one up across lists.
@admin.register(models.DispositionCode)
class DispositionCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "disposition_list", "is_final", "is_success", "is_do_not_call"]
    list_filter = ["disposition_list"]
    list_select_related = ["disposition_list"]


@admin.register(models.PauseCode)
class PauseCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "pause_code_list"]
    list_select_related = ["pause_code_list"]


@admin.register(models.CallingWindowDay)
class CallingWindowDayAdmin(admin.ModelAdmin):
    list_display = ["calling_window", "weekday", "start", "end"]
    list_select_related = ["calling_window"]


@admin.register(models.CallingWindowHoliday)
class CallingWindowHolidayAdmin(admin.ModelAdmin):
    list_display = ["calling_window", "date", "label"]
    list_select_related = ["calling_window"]


@admin.register(models.AgentRemoteId)
class AgentRemoteIdAdmin(admin.ModelAdmin):
    list_display = ["agent", "vendor_account", "remote_id"]
    list_select_related = ["agent", "vendor_account"]


@admin.register(models.ListRemoteId)
class ListRemoteIdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "vendor_account", "remote_id"]
    list_select_related = [
        "disposition_list",
        "pause_code_list",
        "calling_window",
        "vendor_account",
    ]


@admin.register(models.CampaignLeadList)
class CampaignLeadListAdmin(admin.ModelAdmin):
    list_display = ["campaign", "lead_list", "position", "active"]
    list_select_related = ["campaign", "lead_list"]


@admin.register(models.LeadDisposition)
class LeadDispositionAdmin(BigTableAdmin):
    list_display = ["campaign", "lead", "code", "label", "is_final", "recorded_by", "recorded_at"]
    list_filter = ["is_final", "is_do_not_call", "is_callback"]
    search_fields = ["code", "label", "lead__phone"]
    list_select_related = ["campaign", "lead", "recorded_by"]
    raw_id_fields = ["campaign", "lead", "recorded_by"]
