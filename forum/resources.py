"""Regions (by ISO code) and venues (by forum year and Russian name) from sheets, and back."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from forum.models import Country, Forum, Region, Venue, VenueKind
from sheets.headers import fold
from sheets.resources import SheetResource
from sheets.widgets import ChoiceWidget, IntegerWidget, LookupWidget, TextWidget, field

# Words around a region's name that people add or leave out.
REGION_WORDS = frozenset(
    ("область", "обл.", "обл", "вобласць", "вобл.", "вобл", "region", "oblast", "oblast'")
    + ("город", "г.", "горад", "city")
)
# Names of the two countries as people write them, beside the labels in three languages.
COUNTRY_NAMES = {
    Country.BELARUS: ("Республика Беларусь", "Белоруссия", "Рэспубліка Беларусь", "РБ",
                      "Republic of Belarus", "BLR"),
    Country.RUSSIA: ("Российская Федерация", "РФ", "Расійская Федэрацыя", "Russian Federation",
                     "RUS"),
}  # fmt: skip


def country_widget() -> ChoiceWidget:
    return ChoiceWidget(Country.choices, aliases=COUNTRY_NAMES)


def region_key(text) -> str:
    """'Минская обл.' -> 'минская': a name without the words people add or leave out."""
    words = [word for word in fold(text).split() if word not in REGION_WORDS]
    return " ".join(words)


def region_keys(text) -> tuple[str, str]:
    """What a region is looked up by: its name as written, then without those words ('Minsk'
    is the city, 'Minsk Region' the oblast; 'Минская обл.' is only the oblast)."""
    return fold(text), region_key(text)


def region_lookup() -> dict:
    """Every region by its code and by its name in each language, as written and without the
    words around it (one query); a short name two regions share names neither."""
    lookup, owners = {}, {}
    for region in Region.objects.all():
        lookup[fold(region.code)] = region
        for name in (region.name_ru, region.name_be, region.name_en):
            if name:
                lookup[fold(name)] = region
                owners.setdefault(region_key(name), set()).add(region)
    for key, regions in owners.items():
        if len(regions) == 1:
            lookup.setdefault(key, regions.pop())
    return lookup


def region_names() -> list[str]:
    """The regions' names in the language active, for a template's drop-down list."""
    return [region.name for region in Region.objects.order_by("country", "name")]


def region_widget() -> LookupWidget:
    return LookupWidget(
        key="code",
        normalise=region_keys,
        message=_(
            "“%(value)s” is not a region we know; write its ISO code (BY-MI) or its name "
            "(Минская область, Minsk Region)."
        ),
        choices=region_names,
    )


def languages(name):
    return tuple(f"{name}_{language}" for language in ("ru", "be", "en"))


def _declare(columns, widgets=None):
    """{column: Field} for plain text columns, with the given widgets where named."""
    widgets = widgets or {}
    return {column: field(column, widgets.get(column)) for column in columns}


def forum_years(dataset) -> dict[int, Forum]:
    years = set()
    for row in dataset.dict:
        try:
            year = IntegerWidget().clean(row.get("forum_year"))
        except ValueError:
            continue
        if year:
            years.add(year)
    return {forum.year: forum for forum in Forum.objects.filter(year__in=years)}


FORUM_YEAR = _("forum year")


class ForumYearMixin:
    """A `forum_year` column naming the forum by its year; unknown years are row errors."""

    column_titles = {"forum_year": FORUM_YEAR}

    def forum_of(self, row):
        try:
            year = IntegerWidget().clean(row.get("forum_year"))
        except ValueError:
            return None
        return self._forums.get(year)

    def forum_error(self, row) -> dict:
        try:
            year = IntegerWidget().clean(row.get("forum_year"))
        except ValueError as error:
            return {"forum_year": [str(error)]}
        if year is None:
            return {"forum_year": [gettext("Give the forum's year.")]}
        if year not in self._forums:
            return {"forum_year": [gettext("There is no forum of %(year)s.") % {"year": year}]}
        return {}

    def dehydrate_forum_year(self, obj):
        return obj.forum.year

    def import_row_fields(self, instance, row, **kwargs):
        """Import the row's own fields; return the errors of those and of `forum_year`
        together (the caller adds its own and raises once) and the row's forum."""
        errors = self.forum_error(row)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors, self.forum_of(row)


class ForumYearKeyMixin(ForumYearMixin):
    """Rows keyed by (forum year, ``key_column``): an event's slug, an agreement's number."""

    key_column: str
    # What the rows of a key need beside their forum, read with them in the same query, and
    # the relations their columns show (prefetched, so what a row changes costs no query).
    existing_related: tuple[str, ...] = ()
    existing_prefetch: tuple[str, ...] = ()

    def natural_key(self, row):
        forum = self.forum_of(row)
        value = TextWidget().clean(row.get(self.key_column))
        return (forum.year, value) if forum and value else None

    def existing(self, keys):
        years = {year for year, _value in keys}
        rows = (
            self._meta.model.objects.filter(forum__year__in=years)
            .select_related("forum", *self.existing_related)
            .prefetch_related(*self.existing_prefetch)
        )
        return {(obj.forum.year, getattr(obj, self.key_column)): obj for obj in rows}


REGION_COLUMNS = ("code", "country", *languages("name"))


class RegionResource(SheetResource):
    locals().update(_declare(REGION_COLUMNS, {"country": country_widget()}))
    required_columns = ("code", "country", "name_ru")

    class Meta:
        model = Region
        fields = import_order = export_order = REGION_COLUMNS
        import_id_fields = []
        store_row_values = True
        skip_html_diff = True

    def natural_key(self, row):
        code = str(row.get("code") or "").strip().upper()
        return code or None

    def existing(self, keys):
        return {region.code: region for region in Region.objects.filter(code__in=keys)}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.code = instance.code.upper()


VENUE_COLUMNS = (
    "forum_year",
    *languages("name"),
    "kind",
    *languages("city"),
    "country",
    "region",
    *languages("address"),
)


class VenueResource(ForumYearMixin, SheetResource):
    forum_year = Field(column_name="forum_year", widget=IntegerWidget())
    locals().update(
        _declare(
            VENUE_COLUMNS[1:],
            {
                "kind": ChoiceWidget(VenueKind.choices),
                "country": country_widget(),
                "region": region_widget(),
            },
        )
    )
    required_columns = ("forum_year", "name_ru", "kind", "city_ru", "country")
    error_columns = {"forum": "forum_year"}
    excluded_when = {"forum_year": ("forum",)}

    class Meta:
        model = Venue
        fields = import_order = export_order = VENUE_COLUMNS
        import_id_fields = []
        store_row_values = True
        skip_html_diff = True

    def prepare(self, dataset):
        self._forums = forum_years(dataset)
        self.fields["region"].widget.lookup = region_lookup()

    def natural_key(self, row):
        forum = self.forum_of(row)
        name = str(row.get("name_ru") or "").strip().lower()
        return (forum.year, name) if forum and name else None

    def existing(self, keys):
        years = {year for year, _name in keys}
        return {
            (venue.forum.year, venue.name_ru.lower()): venue
            for venue in Venue.objects.filter(forum__year__in=years).select_related("forum")
            if venue.name_ru
        }

    def import_instance(self, instance, row, **kwargs):
        errors, forum = self.import_row_fields(instance, row, **kwargs)
        if forum is not None:
            instance.forum = forum
        if errors:
            raise ValidationError(errors)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("forum", "region")
