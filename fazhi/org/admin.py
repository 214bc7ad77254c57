from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Person, Role, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "position"]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("单位与角色", {"fields": ("unit", "role", "may_view_personal_data")}),
    )
