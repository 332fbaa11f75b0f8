from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from delegates.models import Assignment, Delegate
from events.admin import EventAdmin
from events.models import Event


@admin.register(Delegate)
class DelegateAdmin(TabbedTranslationAdmin):
    list_display = ["full_name", "country", "region", "category", "organisation", "is_sample"]
    list_select_related = ["region"]
    list_filter = ["country", "category", "is_sample", "region"]
    search_fields = [
        "last_name_ru",
        "last_name_be",
        "last_name_en",
        "first_name_ru",
        "first_name_en",
        "organisation_ru",
        "email",
        "external_id",
    ]
    autocomplete_fields = ["region"]
    fields = [
        "last_name",
        "first_name",
        "middle_name",
        "country",
        "region",
        "category",
        "position",
        "organisation",
        "email",
        "phone",
        "language",
        "external_id",
        "is_sample",
    ]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["delegate", "event", "role", "participation", "venue"]
    # delegate, event and venue all print in each row.
    list_select_related = ["delegate", "event", "venue"]
    list_filter = ["role", "participation", "event__forum"]
    search_fields = ["delegate__last_name_ru", "delegate__last_name_en", "event__title_ru"]
    autocomplete_fields = ["delegate", "event", "venue"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["delegate", "role", "participation", "venue", "order"]
    autocomplete_fields = ["delegate", "venue"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("delegate", "venue")


# Assignments are entered under their event; the inline lives here so that events
# never import delegates (dependencies point one way: events <- delegates).
class EventWithAssignmentsAdmin(EventAdmin):
    inlines = [*EventAdmin.inlines, AssignmentInline]


admin.site.unregister(Event)
admin.site.register(Event, EventWithAssignmentsAdmin)
