from django.contrib import admin

from .models import RubricItem


@admin.register(RubricItem)
class RubricItemAdmin(admin.ModelAdmin):
    list_display = ("number", "category", "text", "veto", "points", "unit")
    list_filter = ("veto", "unit")
