from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import Commission, Event


@admin.register(Commission)
class CommissionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name_ru", "name_be", "name_en", "short_name_ru", "short_name_en"]


class EventForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        day, venues = cleaned_data.get("day"), cleaned_data.get("venues")
        if day and venues:
            foreign = [venue for venue in venues if venue.forum_id != day.forum_id]
            if foreign:
                self.add_error(
                    "venues",
                    _("These venues belong to another forum: %(venues)s.")
                    % {"venues": ", ".join(str(venue) for venue in foreign)},
                )
        return cleaned_data


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    form = EventForm
    # Video-conference links are https; a link typed without a scheme gets it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
