"""Each region's record at the forum across every edition (README: "Regions"): only what the
programme and the registry already show."""

from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as translated_language

from agreements.models import Agreement, Party
from agreements.selectors import agreements_matching
from delegates.models import Assignment, Delegate
from delegates.selectors import LEAD_ROLES, ROLE_HEADINGS, Person, people_by_event
from events.models import Event
from forum.models import Country, Forum, Region
from public.caching import digest_of, kept_reads
from public.charts import Chart
from public.fragments import agreement_parts
from public.statistics import Table
from public.templatetags.agreement_parts import region_item


def _count(rows, column: str):
    # One grouped count per region, as a subquery: two joins in one annotate would multiply.
    counted = rows.order_by().values("group").annotate(n=Count(column, distinct=True)).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0), output_field=IntegerField())


def _region_agreements(preview: bool):
    return Party.objects.filter(
        region=OuterRef("pk"), agreement__in=Agreement.objects.visible(preview=preview)
    ).annotate(group=Value(1))


def _region_speakers(preview: bool):
    """The region's people who chaired, moderated or spoke at a public event."""
    # From the region's people to their assignments: the other way round read every
    # assignment once for each region.
    led = Assignment.objects.filter(
        delegate=OuterRef("pk"),
        role__in=LEAD_ROLES,
        event__in=Event.objects.visible(preview=preview),
    )
    return Delegate.objects.filter(Exists(led), region=OuterRef("pk")).annotate(group=Value(1))


@dataclass
class CountryRegions:
    country: str
    label: str
    regions: list[Region]


def regions_with_counts(*, preview: bool = False):
    """Regions with ``agreements`` (they are party to) and ``speakers`` (their people who
    chaired, moderated or spoke) counted, in one query."""
    return Region.objects.annotate(
        agreements=_count(_region_agreements(preview), "agreement"),
        speakers=_count(_region_speakers(preview), "pk"),
    ).order_by("country", "name")


@dataclass
class CountedRegions:
    """Every region with its counts (``regions_with_counts``), the same in every language, and
    their digest (``digest_of``): the page made from the same counts is the same page. None when
    not kept."""

    regions: list[Region]
    digest: str | None


def _name_ranks() -> dict:
    # Each region's place by country and name in every language: the list is read once for all
    # of them, and each shows it in the order its page read alone had (the database's collation).
    return {
        f"rank_{language}": Window(
            RowNumber(), order_by=["country", build_localized_fieldname("name", language)]
        )
        for language in settings.MODELTRANSLATION_LANGUAGES
    }


def counted_regions(*, preview: bool = False, version: str | None = None) -> CountedRegions:
    """Every region with its counts and its place in every language, read once for every
    language at the site ``version`` (``kept_reads``); read each time without one."""
    kept = None if preview else version

    def read() -> CountedRegions:
        regions = list(regions_with_counts(preview=preview).annotate(**_name_ranks()))
        return CountedRegions(regions=regions, digest=digest_of(regions) if kept else None)

    return kept_reads("regions-counted", kept, read)


def regions_by_country(regions: list[Region]) -> list[CountryRegions]:
    """``regions`` (``counted_regions``) by country, by name in the active language."""
    grouped = {country: [] for country in Country.values}
    for region in sorted(regions, key=attrgetter(f"rank_{translated_language()}")):
        grouped[region.country].append(region)
    return [
        CountryRegions(country=country, label=Country(country).label, regions=grouped[country])
        for country in Country.values
    ]


@dataclass
class Appearance:
    """A person of the region in one event, in one role."""

    event: Event
    role: str
    person: Person

    @property
    def role_heading(self) -> str:
        return ROLE_HEADINGS.get(self.role, self.role)


@dataclass
class RegionEdition:
    forum: Forum
    appearances: list[Appearance] = field(default_factory=list)
    # The items of its agreements (public.templatetags.agreement_parts.region_item).
    agreements: list[str] = field(default_factory=list)
    has_sample_agreement: bool = False


@dataclass
class RegionRecord:
    region: Region
    editions: list[RegionEdition]
    table: Table
    has_sample: bool


def _appearances(region: Region, preview: bool) -> list[Appearance]:
    # The region's own people only: reading everyone in their events (some 1,500 people for
    # 200 appearances) and keeping the region's was most of the page's time.
    people = people_by_event(
        Event.objects.visible(preview=preview),
        roles=LEAD_ROLES,
        where=Q(delegate__region=region),
    )
    # select_related: each appearance names its event's forum (the year of its link) and day.
    events = {
        event.pk: event
        for event in Event.objects.filter(pk__in=list(people))
        .select_related("forum", "day")
        .defer("video_conference_url")
    }
    appearances = [
        Appearance(event=events[event_id], role=role, person=person)
        for event_id, pairs in people.items()
        for role, person in pairs
    ]
    appearances.sort(key=lambda a: (a.event.day.date, a.event.pk, a.person.full_name))
    return appearances


def region_record(*, code: str, preview: bool = False) -> RegionRecord:
    """The region of ``code`` at every edition: its people who chaired or spoke, and in which
    events; the agreements it is party to; how many agreements per edition."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("No such region.")
    forums = list(Forum.objects.visible(preview=preview).order_by("year"))
    editions = {forum.pk: RegionEdition(forum=forum) for forum in forums}
    for appearance in _appearances(region, preview):
        editions[appearance.event.forum_id].appearances.append(appearance)
    # Each agreement's item kept until it changes, as the registry's rows (public.fragments).
    items = agreement_parts(
        agreements=agreements_matching(preview=preview, region=region.code),
        preview=preview,
        kind="region",
        made_for=region.code,
        make=lambda agreement: (
            region_item(agreement, region, agreement.forum.year),
            agreement.forum_id,
            agreement.is_sample,
        ),
    )
    for html, forum_id, is_sample in items:
        editions[forum_id].agreements.append(html)
        editions[forum_id].has_sample_agreement |= is_sample
    table = Table(
        slug="per-edition",
        title=_("Agreements with %(region)s as a party, per edition") % {"region": region.name},
        columns=[_("Year"), _("Agreements")],
        rows=[[forum.year, len(editions[forum.pk].agreements)] for forum in forums],
        sample_rows={
            index for index, forum in enumerate(forums) if editions[forum.pk].has_sample_agreement
        },
    )
    table.chart = Chart(
        "columns", [row[0] for row in table.rows], [(_("Agreements"), [r[1] for r in table.rows])]
    )
    return RegionRecord(
        region=region,
        editions=[
            edition
            for edition in reversed(editions.values())
            if edition.appearances or edition.agreements
        ],
        table=table,
        has_sample=any(is_sample for _html, _forum, is_sample in items)
        or any(a.person.is_sample for e in editions.values() for a in e.appearances),
    )
