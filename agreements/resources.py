"""The agreement register from a sheet and back: one row per agreement, its parties side by side.

An agreement is found by forum year and registry number. Its parties are the column groups
`party1_…`, `party2_…` (up to ten): kind, name in three languages, country, region, and who signed
for it. Party N of a row updates the agreement's Nth party, so columns the sheet does not carry
(a signatory's Belarusian name) stay as they were; parties beyond the sheet's are removed.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from agreements.models import Agreement, AgreementKind, Currency, Party, PartyKind, Status
from agreements.services import agreement_check_parties
from events.models import Event
from forum.models import region_country_error
from forum.resources import (
    FORUM_YEAR,
    ForumYearKeyMixin,
    country_widget,
    forum_years,
    languages,
    region_keys,
    region_lookup,
)
from sheets.resources import SheetResource, comparable, model_column_label
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


PARTY_COLUMN = re.compile(r"party(\d+)_(\w+)$")


def _party_label(number: int, label) -> str:
    return gettext("party %(number)s: %(label)s") % {"number": number, "label": label}


# 'party1_name_ru' -> 'сторона 1: наименование', in the language active when shown.
party_label = lazy(_party_label, str)


def party_columns(number: int) -> list[str]:
    return [f"party{number}_{name}" for name in PARTY_FIELDS]


class AgreementResource(ForumYearKeyMixin, SheetResource):
    key_column = "registry_number"
    existing_related = ("event",)
    existing_prefetch = ("parties__region",)
    column_titles = {
        "forum_year": FORUM_YEAR,
        "event_slug": _("signing event's address name (slug)"),
        "parties": _("parties"),
    }
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
        self._country = country_widget()

    def column_label(self, column):
        match = PARTY_COLUMN.match(column)
        if match is None:
            return super().column_label(column)
        return party_label(int(match[1]), model_column_label(Party, match[2]))

    def prepare(self, dataset):
        self._forums = forum_years(dataset)
        self._events = {
            (event.forum_id, event.slug): event
            for event in Event.objects.filter(forum__in=self._forums.values())
        }
        self._regions = region_lookup()
        headers = set(dataset.headers or [])
        # Group N -> the party fields the sheet has columns for; the others stay as they are.
        self._party_groups = {
            n: [name for name in PARTY_FIELDS if f"party{n}_{name}" in headers]
            for n in range(1, MAX_PARTIES + 1)
            if f"party{n}_name_ru" in headers
        }

    def before_import_row(self, row, **kwargs):
        self._row_parties = None
        super().before_import_row(row, **kwargs)

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
        self._row_parties = self._parties(instance, row, errors) if self._party_groups else None
        if not errors:
            count = len(self._row_parties) if self._row_parties is not None else None
            try:
                agreement_check_parties(agreement=instance, parties=count)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _saved_parties(self, instance) -> list:
        return list(instance.parties.all()) if instance.pk else []

    def _parties(self, instance, row, errors) -> list[dict]:
        """The row's parties in order: for each, the fields the sheet has columns for."""
        saved = self._saved_parties(instance)
        parties = []
        for number, names in self._party_groups.items():
            values = {name: row.get(f"party{number}_{name}") for name in names}
            if all(TextWidget().clean(v) == "" for v in values.values()):
                continue
            party = {name: TextWidget().clean(values[name]) for name in names}
            is_new = len(parties) >= len(saved)
            prefix = f"party{number}_"
            if not party["name_ru"]:
                errors[prefix + "name_ru"] = [gettext("Give the party's name.")]
            for name, widget in (("kind", self._kind), ("country", self._country)):
                if name not in party:
                    if is_new:
                        errors[prefix + name] = [gettext("This column cannot be empty.")]
                    continue
                try:
                    party[name] = widget.clean(values[name])
                except ValueError as error:
                    errors[prefix + name] = [str(error)]
                    continue
                if not party[name]:
                    errors[prefix + name] = [gettext("This column cannot be empty.")]
            if "region" in party:
                self._party_region(
                    party, prefix, errors, saved[len(parties)] if not is_new else None
                )
            party["order"] = number
            parties.append(party)
        return parties

    def _party_region(self, party, prefix, errors, saved):
        code = party["region"]
        party["region"] = None
        if not code:
            return
        region = next(filter(None, map(self._regions.get, region_keys(code))), None)
        country = party.get("country") or (saved.country if saved else "")
        if region is None:
            errors[prefix + "region"] = [
                gettext(
                    "“%(value)s” is not a region we know; write its ISO code (BY-MI) or its "
                    "name (Минская область, Minsk Region)."
                )
                % {"value": code}
            ]
        elif message := region_country_error(region, country):
            errors[prefix + "region"] = [message]
        else:
            party["region"] = region

    def snapshot(self, instance):
        values = super().snapshot(instance)
        if self._party_groups:
            values["parties"] = self._parties_shown(instance)
        return values

    def _parties_shown(self, instance) -> str:
        """The parties as the row leaves them (or as saved, before the row), for the preview."""
        saved = self._saved_parties(instance)
        if self._row_parties is None:
            parties = [{name: getattr(party, name) for name in PARTY_FIELDS} for party in saved]
        else:
            parties = [
                {
                    **({n: getattr(saved[i], n) for n in PARTY_FIELDS} if i < len(saved) else {}),
                    **{n: v for n, v in values.items() if n != "order"},
                }
                for i, values in enumerate(self._row_parties)
            ]
        return "; ".join(
            ", ".join(
                str(comparable(party.get(name)) if name != "region" else _code(party.get(name)))
                for name in PARTY_FIELDS
            )
            for party in parties
        )

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


def _code(region) -> str:
    return region.code if region is not None else ""
