from django.contrib import admin

from campaigns import models


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
    readonly_fields = ["status", "created_by", "updated_by", "created_at", "updated_at"]
    inlines = [CampaignLeadListInline]


@admin.register(models.Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "extension", "team", "active"]
    search_fields = ["name", "email", "extension"]
    inlines = [AgentRemoteIdInline]


@admin.register(models.DispositionList)
class DispositionListAdmin(admin.ModelAdmin):
    inlines = [DispositionCodeInline]


@admin.register(models.PauseCodeList)
class PauseCodeListAdmin(admin.ModelAdmin):
    inlines = [PauseCodeInline]


@admin.register(models.CallingWindow)
class CallingWindowAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone_policy", "fixed_timezone"]
    inlines = [CallingWindowDayInline, CallingWindowHolidayInline]
