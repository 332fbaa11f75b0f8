from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import Commission, Event


@admin.register(Commission)
class CommissionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name_ru", "name_be", "name_en", "short_name_ru", "short_name_en"]


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    list_display = [
        "title",
        "starts_at",
        "ends_at",
        "kind",
        "number",
        "format",
        "forum",
        "is_published",
    ]
    list_select_related = ["forum"]
    list_filter = ["forum", "kind", "format", "is_published"]
    search_fields = ["title_ru", "title_be", "title_en", "slug"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["day", "commission", "venues"]
    prepopulated_fields = {"slug": ["title_en"]}
    fields = [
        "day",
        "kind",
        "number",
        "commission",
        "title",
        "slug",
        "description",
        "starts_at",
        "ends_at",
        "format",
        "venues",
        "video_conference_url",
        "is_published",
    ]
