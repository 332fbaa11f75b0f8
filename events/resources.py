"""The programme from a sheet and back: events by forum year and slug, one row per event.

The day is named by its date, the times as hours in the forum's time zone (empty while not
announced), the venues by name separated by `;`, the commission by its name.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from events.models import Commission, Event, EventKind
from forum.models import Day, Format, Venue
from forum.resources import FORUM_YEAR, ForumYearKeyMixin, forum_years, languages
from sheets.resources import SheetResource
from sheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    TimeWidget,
    field,
)

# A day before the opening is part of a forum (the Youth Forum came three days before the Seventh
# Forum); a date further back is a typing mistake, most often the year.
EARLIEST_DAY = dt.timedelta(days=14)

EVENT_COLUMNS = (
    "forum_year",
    "slug",
    "date",
    "starts",
    "ends",
    "kind",
    "number",
    "commission",
    *languages("title"),
    *languages("description"),
    "format",
    "venues",
    "video_conference_url",
    "broadcast_url",
    "is_published",
)


class EventResource(ForumYearKeyMixin, SheetResource):
    key_column = "slug"
    existing_related = ("day__forum", "commission")
    existing_prefetch = ("venues",)
    forum_year = Field(column_name="forum_year", widget=IntegerWidget())
    slug = field("slug")
    date = Field(column_name="date", widget=DateWidget())
    starts = Field(column_name="starts", widget=TimeWidget())
    ends = Field(column_name="ends", widget=TimeWidget())
    kind = field("kind", ChoiceWidget(EventKind.choices))
    number = field("number", IntegerWidget())
    commission = Field(column_name="commission")
    locals().update({c: field(c) for c in languages("title") + languages("description")})
    format = field("format", ChoiceWidget(Format.choices))
    venues = Field(column_name="venues")
    video_conference_url = field("video_conference_url")
    broadcast_url = field("broadcast_url")
    is_published = field("is_published", BooleanWidget())

    required_columns = ("forum_year", "slug", "date", "kind", "title_ru", "format")
    column_titles = {
        "forum_year": FORUM_YEAR,
        "date": _("date"),
        "starts": _("starts at"),
        "ends": _("ends at"),
        "commission": _("commission"),
        "venues": _("venues"),
    }
    error_columns = {"day": "date", "starts_at": "starts", "ends_at": "ends", "forum": "slug"}
    excluded_when = {
        "forum_year": ("day", "forum", "starts_at", "ends_at"),
        "date": ("day", "forum", "starts_at", "ends_at"),
        "starts": ("starts_at", "ends_at"),
        "ends": ("starts_at", "ends_at"),
    }

    class Meta:
        model = Event
        fields = import_order = export_order = EVENT_COLUMNS
        import_id_fields = []
        store_row_values = True
        skip_html_diff = True

    def prepare(self, dataset):
        self._forums = forum_years(dataset)
        forum_ids = [forum.pk for forum in self._forums.values()]
        self._days = {(d.forum_id, d.date): d for d in Day.objects.filter(forum_id__in=forum_ids)}
        self._venues = {}
        for venue in Venue.objects.filter(forum_id__in=forum_ids):
            for name in (venue.name_ru, venue.name_be, venue.name_en):
                if name:
                    self._venues.setdefault((venue.forum_id, name.strip().lower()), venue)
        self._commissions = {}
        for commission in Commission.objects.all():
            for name in (
                commission.name_ru,
                commission.name_be,
                commission.name_en,
                commission.short_name_ru,
                commission.short_name_be,
                commission.short_name_en,
            ):
                if name:
                    self._commissions.setdefault(name.strip().lower(), commission)

    def before_import_row(self, row, **kwargs):
        self._row_venues = None
        super().before_import_row(row, **kwargs)

    def column_value(self, column, instance):
        # The row's venues before they are saved; in any order, as a set.
        if column == "venues":
            venues = self._row_venues if self._row_venues is not None else instance.venues.all()
            return "; ".join(sorted(venue.name_ru or venue.name for venue in venues))
        return super().column_value(column, instance)

    def import_instance(self, instance, row, **kwargs):
        errors, forum = self.import_row_fields(instance, row, **kwargs)
        self._new_day = None
        times = {}
        for column in ("date", "starts", "ends"):
            if column not in row:
                continue
            try:
                times[column] = self.fields[column].clean(row)
            except ValueError as error:
                errors[column] = [str(error)]
        if forum is not None and times.get("date"):
            day = self._days.get((forum.pk, times["date"]))
            if day is None:
                if times["date"] > forum.ends_on:
                    errors["date"] = [
                        gettext("%(date)s is after the forum closes (%(closes)s).")
                        % {"date": times["date"].isoformat(), "closes": forum.ends_on.isoformat()}
                    ]
                elif times["date"] < forum.starts_on - EARLIEST_DAY:
                    errors["date"] = [
                        gettext(
                            "%(date)s is more than %(days)s days before the forum opens "
                            "(%(opens)s); check the year."
                        )
                        % {
                            "date": times["date"].isoformat(),
                            "days": EARLIEST_DAY.days,
                            "opens": forum.starts_on.isoformat(),
                        }
                    ]
                else:
                    # A new date of the forum becomes a day of it (saved with the event).
                    day = self._new_day = Day(forum=forum, date=times["date"])
            if day is not None:
                instance.day = day
                instance.forum = forum
                # Times are set when the sheet has the columns; otherwise they stay as they are.
                if "starts" not in errors and "ends" not in errors and "starts" in row:
                    instance.starts_at = self._at(forum, day.date, times.get("starts"))
                if "starts" not in errors and "ends" not in errors and "ends" in row:
                    instance.ends_at = self._at(forum, day.date, times.get("ends"))
        elif "date" not in errors and not times.get("date"):
            errors["date"] = [gettext("Give the event's date.")]
        name = TextWidget().clean(row.get("commission"))
        if "commission" in row:
            instance.commission = None
        if name:
            commission = self._commissions.get(name.lower())
            if commission is None:
                errors["commission"] = [
                    gettext("No commission is called “%(name)s”.") % {"name": name}
                ]
            else:
                instance.commission = commission
        self._row_venues = [] if "venues" in row else None
        for name in filter(
            None, (n.strip() for n in TextWidget().clean(row.get("venues")).split(";"))
        ):
            venue = self._venues.get((forum.pk, name.lower())) if forum else None
            if venue is None and forum is not None:
                errors.setdefault("venues", []).append(
                    gettext("The forum of %(year)s has no venue “%(name)s”.")
                    % {"year": forum.year, "name": name}
                )
            elif venue is not None:
                self._row_venues.append(venue)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _at(forum, date, time):
        if time is None:
            return None
        return dt.datetime.combine(date, time, tzinfo=forum.zone)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if self._new_day is not None:
            self._new_day.skip_history_when_saving = True
            self._new_day.save()
            self._days[(self._new_day.forum_id, self._new_day.date)] = self._new_day
            instance.day = self._new_day

    def save_m2m(self, instance, row, **kwargs):
        if self._row_venues is not None:
            instance.venues.set(self._row_venues)

    def excluded_fields(self, instance):
        # A day made from a new date is saved with its event; until then the checks that need
        # it saved wait (the database's constraints still hold when it is).
        return {"day", "forum"} if self._new_day is not None else set()

    def dehydrate_date(self, event):
        return event.day.date

    def dehydrate_starts(self, event):
        return self._local_time(event, event.starts_at)

    def dehydrate_ends(self, event):
        return self._local_time(event, event.ends_at)

    @staticmethod
    def _local_time(event, moment):
        if moment is None:
            return ""
        return moment.astimezone(event.forum.zone).strftime("%H:%M")

    def dehydrate_commission(self, event):
        return event.commission.name_ru if event.commission else ""

    def dehydrate_venues(self, event):
        return "; ".join(venue.name_ru or venue.name for venue in event.venues.all())

    def filter_export(self, queryset, **kwargs):
        # The programme per day: in the order of the day.
        return (
            queryset.select_related("forum", "day", "commission")
            .prefetch_related("venues")
            .order_by("day__date", "starts_at", "number", "pk")
        )
