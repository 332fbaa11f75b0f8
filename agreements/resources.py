"""The agreement register from a sheet and back: one row per agreement, its parties side by side.

An agreement is found by forum year and registry number. Its parties are the column groups
`party1_…`, `party2_…` (up to ten): kind, name in three languages, country, region, and who signed
for it. Party N of a row updates the agreement's Nth party, so columns the sheet does not carry
(a signatory's Belarusian name) stay as they were; parties beyond the sheet's are removed.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext
from import_export.fields import Field

from agreements.models import Agreement, AgreementKind, Currency, Party, PartyKind, Status
from agreements.services import agreement_check_parties
from events.models import Event
from forum.models import Country, Region, region_country_error
from forum.resources import ForumYearKeyMixin, forum_years, languages
from sheets.resources import SheetResource
from sheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    field,
)

MAX_PARTIES = 10
PARTY_FIELDS = (
    "kind",
    *languages("name"),
    "country",
    "region",
    "signatory_ru",
    "signatory_position_ru",
)
AGREEMENT_COLUMNS = (
    "forum_year",
    "registry_number",
    "kind",
    *languages("title"),
    *languages("subject"),
    "status",
    "signed_on",
    "event_slug",
    "value",
    "currency",
    "is_public",
    "is_sample",
)


def party_columns(number: int) -> list[str]:
    return [f"party{number}_{name}" for name in PARTY_FIELDS]


class AgreementResource(ForumYearKeyMixin, SheetResource):
    key_column = "registry_number"
    existing_related = ("event",)
    forum_year = Field(column_name="forum_year", widget=IntegerWidget())
    registry_number = field("registry_number")
    kind = field("kind", ChoiceWidget(AgreementKind.choices))
    locals().update({c: field(c) for c in languages("title") + languages("subject")})
    status = field("status", ChoiceWidget(Status.choices))
    signed_on = field("signed_on", DateWidget())
    event_slug = Field(column_name="event_slug")
    value = field("value", DecimalWidget())
    currency = field("currency", ChoiceWidget(Currency.choices))
    is_public = field("is_public", BooleanWidget())
    is_sample = field("is_sample", BooleanWidget())

    required_columns = ("forum_year", "registry_number", "kind", "title_ru", "status")
    read_only_columns = tuple(c for n in range(1, MAX_PARTIES + 1) for c in party_columns(n))
    error_columns = {"forum": "forum_year", "event": "event_slug"}
    excluded_when = {"forum_year": ("forum", "event"), "event_slug": ("event",)}

    class Meta:
        model = Agreement
        fields = import_order = export_order = AGREEMENT_COLUMNS
        import_id_fields = []
        store_row_values = True
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._export_parties = 2
        self._kind = ChoiceWidget(PartyKind.choices)
        self._country = ChoiceWidget(Country.choices)

    def prepare(self, dataset):
        self._forums = forum_years(dataset)
        self._events = {
            (event.forum_id, event.slug): event
            for event in Event.objects.filter(forum__in=self._forums.values())
        }
        self._regions = {region.code: region for region in Region.objects.all()}
        self._party_groups = [
            n for n in range(1, MAX_PARTIES + 1) if f"party{n}_name_ru" in (dataset.headers or [])
        ]

    def import_instance(self, instance, row, **kwargs):
        errors, forum = self.import_row_fields(instance, row, **kwargs)
        if forum is not None:
            instance.forum = forum
        slug = TextWidget().clean(row.get("event_slug"))
        if "event_slug" in row:
            instance.event = None
        if slug and forum is not None:
            event = self._events.get((forum.pk, slug))
            if event is None:
                errors["event_slug"] = [
                    gettext("The forum of %(year)s has no event “%(slug)s”.")
                    % {"year": forum.year, "slug": slug}
                ]
            else:
                instance.event = event
        # Without party columns the saved parties stay, and are the ones counted.
        self._row_parties = self._parties(row, errors) if self._party_groups else None
        if not errors:
            count = len(self._row_parties) if self._row_parties is not None else None
            try:
                agreement_check_parties(agreement=instance, parties=count)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _parties(self, row, errors) -> list[dict]:
        parties = []
        for number in self._party_groups:
            values = {name: row.get(f"party{number}_{name}") for name in PARTY_FIELDS}
            if all(TextWidget().clean(v) == "" for v in values.values()):
                continue
            party = {name: TextWidget().clean(values[name]) for name in PARTY_FIELDS}
            prefix = f"party{number}_"
            if not party["name_ru"]:
                errors[prefix + "name_ru"] = [gettext("Give the party's name.")]
            for name, widget in (("kind", self._kind), ("country", self._country)):
                try:
                    party[name] = widget.clean(values[name])
                except ValueError as error:
                    errors[prefix + name] = [str(error)]
                    continue
                if not party[name]:
                    errors[prefix + name] = [gettext("This column cannot be empty.")]
            code = party["region"].upper()
            party["region"] = None
            if code:
                region = self._regions.get(code)
                if region is None:
                    errors[prefix + "region"] = [
                        gettext("“%(value)s” is not a region code we know; use a code like BY-MI.")
                        % {"value": code}
                    ]
                elif message := region_country_error(region, party["country"]):
                    errors[prefix + "region"] = [message]
                else:
                    party["region"] = region
            party["order"] = number
            parties.append(party)
        return parties

    def after_save_instance(self, instance, row, **kwargs):
        if self._row_parties is None:
            return
        existing = list(instance.parties.order_by("order", "pk"))
        for index, values in enumerate(self._row_parties):
            party = existing[index] if index < len(existing) else Party(agreement=instance)
            for name, value in values.items():
                setattr(party, name, value)
            party.skip_history_when_saving = True
            party.save()
        for party in existing[len(self._row_parties) :]:
            party.delete()

    # Export: the party columns, as many groups as the longest agreement needs (two at least).

    def before_export(self, queryset, **kwargs):
        if queryset is None:
            return
        counts = queryset.annotate(party_count=Count("parties")).values_list(
            "party_count", flat=True
        )
        self._export_parties = max([2, *counts])

    def get_export_headers(self, selected_fields=None):
        headers = super().get_export_headers(selected_fields)
        for number in range(1, self._export_parties + 1):
            headers.extend(party_columns(number))
        return headers

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields, **kwargs)
        parties = list(instance.parties.all())
        for index in range(self._export_parties):
            party = parties[index] if index < len(parties) else None
            for name in PARTY_FIELDS:
                if party is None:
                    values.append("")
                elif name == "region":
                    values.append(party.region.code if party.region else "")
                else:
                    values.append(getattr(party, name) or "")
        return values

    def dehydrate_event_slug(self, agreement):
        return agreement.event.slug if agreement.event else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("forum", "event").prefetch_related("parties__region")
