from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "team", "is_active", "is_staff", "last_login"]
    list_filter = ["team", "groups", "is_active", "is_staff"]
    list_select_related = ["team"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Team and language", {"fields": ("team", "language")}))

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: the audit trail names them.
        return False
