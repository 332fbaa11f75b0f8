"""Delegates and assignments from the secretariat's sheets, and back.

Delegates are matched by external id, else by e-mail (case-insensitive); assignments name the
delegate by the same keys, the event by forum year and slug, the role by its code or its label in
any of the three languages, the venue by its name.
"""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from delegates.models import Assignment, Category, Delegate, Participation, Role
from events.models import Event
from forum.models import Venue
from forum.resources import FORUM_YEAR, country_widget, region_lookup, region_widget
from sheets.resources import SheetResource
from sheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    IntegerWidget,
    PhoneWidget,
    TextWidget,
    field,
    translated,
)

# The languages by the names they give themselves, beside their labels in our three.
LANGUAGE_NAMES = {
    "ru": ("русский", "рус", "руская"),
    "be": ("беларуская", "белорусский", "бел"),
    "en": ("английский", "англійская", "англ"),
}

# One IN (…) per this many keys: SQLite takes at most 32,766 parameters in one query.
CHUNK = 5000


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _text(value) -> str:
    return TextWidget().clean(value)


def delegate_lookup(rows, *, id_column="external_id", email_column="email"):
    """(by external id, by lower-cased e-mail) for the delegates the rows name; few queries."""
    ids = {_text(row.get(id_column)) for row in rows} - {""}
    emails = {_text(row.get(email_column)).lower() for row in rows} - {""}
    by_id, by_email = {}, {}
    found = []
    for chunk in _chunks(ids):
        found.extend(Delegate.objects.filter(external_id__in=chunk).select_related("region"))
    for chunk in _chunks(emails):
        found.extend(
            Delegate.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .select_related("region")
        )
    for delegate in found:
        if delegate.external_id:
            by_id[delegate.external_id] = delegate
        if delegate.email:
            by_email[delegate.email.lower()] = delegate
    return by_id, by_email


def _languages(name):
    return tuple(f"{name}_{language}" for language in ("ru", "be", "en"))


DELEGATE_COLUMNS = (
    "external_id",
    "email",
    *_languages("last_name"),
    *_languages("first_name"),
    *_languages("middle_name"),
    "country",
    "region",
    "category",
    *_languages("position"),
    *_languages("organisation"),
    "phone",
    "language",
    "is_sample",
)
ASSIGNMENT_COLUMNS = (
    "forum_year",
    "event_slug",
    "delegate_external_id",
    "delegate_email",
    "role",
    "participation",
    "venue",
    "order",
)


class DelegateResource(SheetResource):
    external_id = field("external_id")
    email = field("email")
    (last_name_ru, last_name_be, last_name_en) = (f for _n, f in translated("last_name"))
    (first_name_ru, first_name_be, first_name_en) = (f for _n, f in translated("first_name"))
    (middle_name_ru, middle_name_be, middle_name_en) = (f for _n, f in translated("middle_name"))
    country = field("country", country_widget())
    region = field("region", region_widget())
    category = field("category", ChoiceWidget(Category.choices))
    (position_ru, position_be, position_en) = (f for _n, f in translated("position"))
    (organisation_ru, organisation_be, organisation_en) = (
        f for _n, f in translated("organisation")
    )
    phone = field("phone", PhoneWidget())
    language = field("language", ChoiceWidget(settings.LANGUAGES, aliases=LANGUAGE_NAMES))
    is_sample = field("is_sample", BooleanWidget())

    required_columns = ("last_name_ru", "first_name_ru", "country", "category")
    combined_columns = {"full_name": ("last_name_ru", "first_name_ru", "middle_name_ru")}
    column_titles = {"full_name": _("full name")}
    column_aliases = {
        "email": ("e-mail", "email", "эл. почта", "эл.почта", "э-почта", "эл. пошта", "E-mail"),
        "full_name": ("ФИО", "Ф.И.О.", "Ф. И. О.", "Фамилия, имя, отчество", "Фамилия Имя Отчество",
                      "Прозвішча, імя, імя па бацьку", "Full name")
    }  # fmt: skip

    class Meta:
        model = Delegate
        fields = DELEGATE_COLUMNS
        import_order = export_order = DELEGATE_COLUMNS
        import_id_fields = []
        clean_model_instances = True
        # Bulk: validated row by row, written in batches of 1,000; see `make bench`.
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        store_row_values = True

    def prepare(self, dataset):
        self.fields["region"].widget.lookup = region_lookup()
        self._by_id, self._by_email = delegate_lookup(dataset.dict)
        self._emails_in_file = {}
        self._blank = None

    def init_instance(self, row=None):
        # Delegate() computes a default for each of its 30 translated columns; copying one blank
        # delegate (Django's pickling protocol gives the copy its own state) is 3x faster.
        if self._blank is None:
            self._blank = Delegate()
        return copy.copy(self._blank)

    def natural_key(self, row):
        external_id = _text(row.get("external_id"))
        if external_id:
            return ("external_id", external_id)
        email = _text(row.get("email")).lower()
        return ("email", email) if email else None

    def describe_key(self, key):
        return key[1]

    def existing(self, keys):
        return {}

    def get_instance(self, instance_loader, row):
        return self._find(row)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._full_name_error = None
        if "full_name" not in row:
            return
        words = _text(row["full_name"]).split()
        if len(words) not in (2, 3):
            self._full_name_error = gettext(
                "“%(value)s” is not a full name of two or three words: last name, first name "
                "and patronymic."
            ) % {"value": _text(row["full_name"])}
            words = ["", ""]
        for column, word in zip(self.combined_columns["full_name"], [*words, ""], strict=False):
            row[column] = word

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # Django's bulk_update writes one CASE per column over the whole batch; small batches
        # keep that fast.
        return super().bulk_update(
            using_transactions, dry_run, raise_errors, batch_size=200, result=result
        )

    def _find(self, row):
        key = self.natural_key(row)
        if key is None:
            return None
        if key[0] == "external_id":
            found = self._by_id.get(key[1])
            if found is not None:
                return found
            # A delegate entered by hand first, now listed with the secretariat's id.
            by_email = self._by_email.get(_text(row.get("email")).lower())
            if by_email is not None and not by_email.external_id:
                return by_email
            return None
        return self._by_email.get(key[1])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        excluded = ["region"]
        if self._full_name_error:
            errors["full_name"] = [self._full_name_error]
            # The names come from the full name: their "cannot be empty" would repeat it.
            excluded += ["last_name", "first_name", "last_name_ru", "first_name_ru"]
        # The unique checks run here on the prefetched rows, not one query per row; the region
        # came from the prefetched lookup, so it exists and needs no query either.
        try:
            instance.full_clean(
                exclude=[*errors, *excluded], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.external_id and not instance.email:
            errors.setdefault("external_id", []).append(
                gettext(
                    "Give an external id or an e-mail, so that the next import finds the delegate."
                )
            )
        if instance.external_id:
            other = self._by_id.get(instance.external_id)
            if other is not None and other.pk != instance.pk:
                errors.setdefault("external_id", []).append(
                    gettext("Another delegate has this external id.")
                )
        if instance.email and "email" not in errors:
            email = instance.email.lower()
            other = self._by_email.get(email)
            if other is not None and other.pk != instance.pk:
                errors.setdefault("email", []).append(gettext("Another delegate has this e-mail."))
            earlier = self._emails_in_file.get(email)
            if earlier is not None:
                errors.setdefault("email", []).append(
                    gettext("This e-mail is already in row %(row)s of this file.")
                    % {"row": earlier}
                )
            else:
                self._emails_in_file[email] = self._current_row
        if errors:
            raise ValidationError(errors)

    def get_bulk_update_fields(self):
        return [f.attribute for f in self.get_import_fields()] + ["updated_at"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("region")


class SignInSheetResource(resources.ModelResource):
    """A sign-in sheet: who, from where, and an empty column to sign. Export only."""

    full_name = Field(column_name=_("delegate"), attribute="full_name")
    region = Field(column_name=_("region"), attribute="region__name")
    organisation = Field(column_name=_("organisation"), attribute="organisation")
    position = Field(column_name=_("position"), attribute="position")
    signature = Field(column_name=_("signature"))

    class Meta:
        model = Delegate
        fields = ("full_name", "region", "organisation", "position", "signature")
        name = _("Sign-in sheet")

    def dehydrate_signature(self, delegate):
        return ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("region")


class AssignmentResource(SheetResource):
    forum_year = Field(column_name="forum_year", widget=IntegerWidget())
    event_slug = Field(column_name="event_slug")
    delegate_external_id = Field(column_name="delegate_external_id")
    delegate_email = Field(column_name="delegate_email")
    role = field("role", ChoiceWidget(Role.choices))
    participation = field("participation", ChoiceWidget(Participation.choices))
    venue = Field(column_name="venue")
    order = field("order", IntegerWidget())

    required_columns = ("forum_year", "event_slug", "role")
    column_titles = {
        "forum_year": FORUM_YEAR,
        "event_slug": _("event's address name (slug)"),
        "delegate_external_id": _("delegate's external id"),
        "delegate_email": _("delegate's e-mail"),
    }
    error_columns = {"event": "event_slug", "delegate": "delegate_external_id"}
    excluded_when = {
        "forum_year": ("event", "venue"),
        "event_slug": ("event", "venue"),
        "delegate_external_id": ("delegate",),
        "delegate_email": ("delegate",),
    }

    class Meta:
        model = Assignment
        fields = ASSIGNMENT_COLUMNS
        import_order = export_order = ASSIGNMENT_COLUMNS
        import_id_fields = []
        clean_model_instances = True
        store_row_values = True
        skip_html_diff = True
        # Not in bulk: each row is saved before the next is checked, so two rows that put one
        # delegate in two overlapping events are caught by the model's own rule.

    def prepare(self, dataset):
        rows = dataset.dict
        self._delegates_by_id, self._delegates_by_email = delegate_lookup(
            rows, id_column="delegate_external_id", email_column="delegate_email"
        )
        years = set()
        for row in rows:
            try:
                year = IntegerWidget().clean(row.get("forum_year"))
            except ValueError:
                continue
            if year:
                years.add(year)
        self._events = {
            (event.forum.year, event.slug): event
            for event in Event.objects.filter(forum__year__in=years).select_related(
                "forum", "day__forum"
            )
        }
        self._venues = {}
        for venue in Venue.objects.filter(forum__year__in=years):
            for name in (venue.name_ru, venue.name_be, venue.name_en, venue.name):
                if name:
                    self._venues.setdefault((venue.forum_id, name.strip().lower()), venue)

    def _delegate(self, row):
        external_id = _text(row.get("delegate_external_id"))
        email = _text(row.get("delegate_email")).lower()
        if external_id:
            return self._delegates_by_id.get(external_id)
        if email:
            return self._delegates_by_email.get(email)
        return None

    def _event(self, row):
        try:
            year = IntegerWidget().clean(row.get("forum_year"))
        except ValueError:
            return None
        return self._events.get((year, _text(row.get("event_slug"))))

    def natural_key(self, row):
        delegate, event = self._delegate(row), self._event(row)
        if delegate is None or event is None:
            return None
        return (delegate.pk, event.pk)

    def describe_key(self, key):
        delegate_id, event_id = key
        delegate = next(
            (d for d in self._delegates_by_id.values() if d.pk == delegate_id), None
        ) or next((d for d in self._delegates_by_email.values() if d.pk == delegate_id), None)
        event = next((e for e in self._events.values() if e.pk == event_id), None)
        return gettext("%(delegate)s in “%(event)s”") % {"delegate": delegate, "event": event}

    def existing(self, keys):
        delegate_ids = {delegate_id for delegate_id, _e in keys}
        event_ids = {event_id for _d, event_id in keys}
        return {
            (a.delegate_id, a.event_id): a
            for a in Assignment.objects.filter(
                delegate_id__in=delegate_ids, event_id__in=event_ids
            ).select_related("delegate", "event__day__forum", "venue")
        }

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            year = IntegerWidget().clean(row.get("forum_year"))
        except ValueError as error:
            errors["forum_year"] = [str(error)]
            year = None
        event = self._event(row)
        if event is None and year is not None:
            errors["event_slug"] = [
                gettext("The forum of %(year)s has no event “%(slug)s”.")
                % {"year": year, "slug": _text(row.get("event_slug"))}
            ]
        elif event is not None:
            instance.event = event
        delegate = self._delegate(row)
        if delegate is None:
            column = "delegate_external_id" if _text(row.get("delegate_external_id")) else None
            value = _text(row.get("delegate_external_id")) or _text(row.get("delegate_email"))
            if not value:
                errors["delegate_external_id"] = [
                    gettext("Name the delegate by external id or e-mail.")
                ]
            else:
                errors[column or "delegate_email"] = [
                    gettext("No delegate has “%(value)s”; import the delegates first.")
                    % {"value": value}
                ]
        else:
            instance.delegate = delegate
        venue_name = _text(row.get("venue"))
        if venue_name and event is not None:
            venue = self._venues.get((event.forum_id, venue_name.lower()))
            if venue is None:
                errors["venue"] = [
                    gettext("The forum of %(year)s has no venue “%(name)s”.")
                    % {"year": event.forum.year, "name": venue_name}
                ]
            else:
                instance.venue = venue
        elif not venue_name and "venue" in row:
            instance.venue = None
        if not instance.participation:
            instance.participation = Participation.IN_PERSON
        if instance.order is None:
            instance.order = 0
        if errors:
            raise ValidationError(errors)

    def dehydrate_forum_year(self, assignment):
        return assignment.event.forum.year

    def dehydrate_event_slug(self, assignment):
        return assignment.event.slug

    def dehydrate_delegate_external_id(self, assignment):
        return assignment.delegate.external_id

    def dehydrate_delegate_email(self, assignment):
        return assignment.delegate.email

    def dehydrate_venue(self, assignment):
        return assignment.venue.name if assignment.venue else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("event__forum", "delegate", "venue")
