from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(SimpleHistoryAdmin):
    """Read-only: Jobs change only through their tasks (the queue's own rows, with tracebacks, are under
    django_tasks_db's 'Task Results')."""

    list_display = ["pk", "title", "kind", "unit", "created_by", "state", "done", "total", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "kind", "task_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
