from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Commission, Event
from events.resources import EventResource
from events.services import events_set_published, forum_copy_next
from forum.admin import ForumAdmin
from forum.models import Day, Forum
from sheets.admin import SheetImportExportMixin


@admin.register(Commission)
class CommissionAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
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


class DayFilter(admin.SimpleListFilter):
    """The days of the forum chosen in the forum filter (of every forum while none is)."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        days = Day.objects.select_related("forum").order_by("-forum__year", "date")
        forum = request.GET.get("forum__id__exact", "")
        if forum.isdigit():
            days = days.filter(forum_id=forum)
        return [(str(day.pk), self._label(day, with_year=not forum)) for day in days]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # A day typed into the address that is no number shows nothing, never an error.
        return queryset.filter(day_id=value) if value.isdigit() else queryset.none()

    @staticmethod
    def _label(day: Day, *, with_year: bool) -> str:
        label = date_format(day.date, "j E" if not with_year else "j E Y")
        return f"{label} — {day.title}" if day.title else label


@admin.register(Event)
class EventAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    form = EventForm
    # The programme; exported per day by filtering the list by day first.
    import_resource_classes = [EventResource]
    actions = ["publish", "unpublish"]
    # Video-conference links are https; a link typed without a scheme gets it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "when",
        "kind_and_number",
        "venue_names",
        "forum_year",
        "is_published",
        "is_cancelled",
    ]
    # The day, the forum (its year and time zone) and the venues print on every row.
    list_select_related = ["forum", "day"]
    list_filter = ["forum", DayFilter, "kind", "format", "is_published", "is_cancelled"]
    search_fields = ["title_ru", "title_be", "title_en", "slug"]
    # By the day, not the start: events whose hours are not announced have a day all the same.
    date_hierarchy = "day__date"
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
        "broadcast_url",
        "is_published",
        "is_cancelled",
        "cancellation_note",
    ]

    class Media:
        css = {"all": ["css/admin-lists.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("venues")

    @admin.display(description=_("date and time"), ordering="day__date")
    def when(self, event):
        """The day, and below it the hours in the forum's time zone (or "to be announced")."""
        if event.starts_at:
            zone = event.forum.zone
            starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
            hours = f"{starts:%H:%M}–{ends:%H:%M}"
        else:
            hours = _("to be announced")
        return format_html(
            '<span class="date">{}</span> <span class="hours">{}</span>',
            date_format(event.day.date, "SHORT_DATE_FORMAT"),
            hours,
        )

    @admin.display(description=_("kind"), ordering="kind")
    def kind_and_number(self, event):
        return event.kind_and_number

    @admin.display(description=_("venues"))
    def venue_names(self, event):
        return "; ".join(str(venue) for venue in event.venues.all()) or "—"

    @admin.display(description=_("forum"), ordering="forum__year")
    def forum_year(self, event):
        return event.forum.year

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(description=_("Unpublish the selected events"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(self, request, queryset, *, published):
        changed, refused = events_set_published(events=queryset, published=published)
        if changed:
            message = (
                ngettext("Published %(count)d event.", "Published %(count)d events.", len(changed))
                if published
                else ngettext(
                    "Unpublished %(count)d event.", "Unpublished %(count)d events.", len(changed)
                )
            )
            self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)
        for event, reason in refused:
            self.message_user(
                request,
                _("Not changed: “%(event)s”: %(reason)s.") % {"event": event, "reason": reason},
                messages.WARNING,
            )


class NextEditionForm(forms.Form):
    starts_on = forms.DateField(
        label=_("The new edition opens on"),
        widget=AdminDateWidget,
        help_text=_("Every day keeps its distance from the opening day."),
    )


# The next edition copies events, so its action lives here: forum must not import events.
class ForumWithNextEditionAdmin(ForumAdmin):
    actions = ["copy_next_edition"]

    @admin.action(description=_("Create the next edition from this one"), permissions=["add"])
    def copy_next_edition(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one forum to copy from."), messages.WARNING
            )
            return None
        forum = queryset.get()
        if "apply" in request.POST:
            form = NextEditionForm(request.POST)
            if form.is_valid():
                try:
                    new = forum_copy_next(forum=forum, starts_on=form.cleaned_data["starts_on"])
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    self.message_user(
                        request,
                        _(
                            "Created %(forum)s as a draft with its days, venues and events. "
                            "Delegates' assignments and agreements were not copied."
                        )
                        % {"forum": new},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:forum_forum_change", args=[new.pk]))
        else:
            try:
                proposed = forum.starts_on.replace(year=forum.starts_on.year + 1)
            except ValueError:  # 29 February
                proposed = forum.starts_on.replace(year=forum.starts_on.year + 1, day=28)
            form = NextEditionForm(initial={"starts_on": proposed})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Next edition from %(forum)s") % {"forum": forum},
            "opts": self.model._meta,
            "forum": forum,
            "form": form,
            "media": self.media + form.media,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "copy_next_edition",
        }
        return TemplateResponse(request, "admin/forum/next_edition.html", context)


admin.site.unregister(Forum)
admin.site.register(Forum, ForumWithNextEditionAdmin)
