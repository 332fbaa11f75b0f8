from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from forum.admin_inlines import RowChoicesInline
from forum.models import Day, Forum, Region, Venue
from forum.resources import RegionResource, VenueResource
from sheets.admin import SheetImportExportMixin


class DayInline(RowChoicesInline, TranslationTabularInline):
    model = Day
    extra = 0
    fields = ["date", "title"]


class VenueInline(RowChoicesInline, TranslationTabularInline):
    model = Venue
    extra = 0
    fields = ["name", "kind", "city", "country", "region"]
    autocomplete_fields = ["region"]


@admin.register(Forum)
class ForumAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["number", "year", "title", "starts_on", "ends_on", "format", "is_published"]
    list_display_links = ["number", "year", "title"]
    list_filter = ["is_published", "format"]
    search_fields = ["title_ru", "title_be", "title_en", "theme_ru", "theme_be", "theme_en"]
    date_hierarchy = "starts_on"
    inlines = [DayInline, VenueInline]
    fieldsets = [
        (None, {"fields": ["number", "year", "title", "theme", "is_published"]}),
        (
            _("Dates and place"),
            {"fields": ["starts_on", "ends_on", "time_zone", "format", "host_cities"]},
        ),
        (
            _("Agreements"),
            {"fields": ["agreements_expected", "agreements_reported", "agreements_value_reported"]},
        ),
        (_("Notes and sources"), {"fields": ["notes", "sources"]}),
    ]


@admin.register(Day)
class DayAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["date", "forum", "title"]
    list_select_related = ["forum"]
    list_filter = ["forum"]
    search_fields = ["title_ru", "title_be", "title_en", "forum__title_ru"]
    date_hierarchy = "date"
    autocomplete_fields = ["forum"]

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete widgets label days by str(), which shows only the date;
        # bring the forum along so each label costs no query.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("forum"), may_have_duplicates


@admin.register(Region)
class RegionAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    import_resource_classes = [RegionResource]
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name_ru", "name_be", "name_en"]
    ordering = ["country", "code"]


@admin.register(Venue)
class VenueAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    import_resource_classes = [VenueResource]
    list_display = ["name", "city", "kind", "country", "forum"]
    list_select_related = ["forum"]
    list_filter = ["forum", "kind", "country"]
    search_fields = ["name_ru", "name_be", "name_en", "city_ru", "city_be", "city_en"]
    autocomplete_fields = ["forum", "region"]


admin.site.site_header = _("Forum of Regions: secretariat")
admin.site.site_title = _("Forum of Regions")
admin.site.index_title = _("Programme, delegates and agreements")
# The lists need the width at 1280 px (the events list's titles were squeezed beside it); the
# index and the breadcrumbs lead everywhere the side menu did.
admin.site.enable_nav_sidebar = False
