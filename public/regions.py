"""Each region's record at the forum across every edition (README: "Regions"): only what the
programme and the registry already show."""

from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
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
from public.fragments import agreement_parts, kept_parts
from public.statistics import Table
from public.templatetags.agreement_parts import region_item
from public.templatetags.region_parts import appearances_part
from public.versioning import agreement_versions, appearance_versions


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
    language at the figures' ``version`` (``kept_reads``); read each time without one."""
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
    # The items of its people's appearances, one part per event (appearances_part).
    appearances: list[str] = field(default_factory=list)
    # The items of its agreements (public.templatetags.agreement_parts.region_item).
    agreements: list[str] = field(default_factory=list)
    has_sample_agreement: bool = False


@dataclass
class RegionRecord:
    region: Region
    editions: list[RegionEdition]
    table: Table
    has_sample: bool


@dataclass
class RegionOutline:
    """What a region's page is made of, the same in every language: the region, the editions,
    the versions of its people's appearances at each event (``appearance_versions``) and of its
    agreements (``agreement_versions``); and their digest (``digest_of``): the page made from
    the same is the same page. None when not kept."""

    region: Region
    forums: list[Forum]
    appearances: list[tuple[int, int, str]]
    agreements: list[tuple[int, None, str]]
    digest: str | None = None


def _lead_assignments(region: Region, preview: bool):
    """The assignments of the region's people who chaired, moderated or spoke at a public
    event."""
    return Assignment.objects.filter(
        event__in=Event.objects.visible(preview=preview),
        role__in=LEAD_ROLES,
        delegate__region=region,
    )


def region_outline(
    *, code: str, preview: bool = False, version: str | None = None
) -> RegionOutline | None:
    """The outline of the region of ``code`` (None: no such region), read once for every
    language at the site ``version`` (``kept_reads``); read each time without one."""
    kept = None if preview else version

    def read() -> RegionOutline | None:
        region = Region.objects.filter(code=code).first()
        if region is None:
            return None
        outline = RegionOutline(
            region=region,
            forums=list(Forum.objects.visible(preview=preview).order_by("year")),
            appearances=appearance_versions(_lead_assignments(region, preview)),
            agreements=agreement_versions(agreements_matching(preview=preview, region=code)),
        )
        outline.digest = digest_of(outline) if kept else None
        return outline

    return kept_reads(f"region-outline:{code}", kept, read)


def _appearance_parts(region: Region, event_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """The items of the region's people at each of ``event_ids`` (those events' part of its
    page), and whether they name sample people, by event."""
    # The region's own people only: reading everyone in their events (some 1,500 people for
    # 200 appearances) and keeping the region's was most of the page's time.
    people = people_by_event(event_ids, roles=LEAD_ROLES, where=Q(delegate__region=region))
    # select_related: each appearance names its event's forum (the year of its link).
    events = (
        Event.objects.filter(pk__in=list(people))
        .select_related("forum")
        .defer("video_conference_url")
    )
    parts = {}
    for event in events:
        # By name within the event (people of one name in the programme's order).
        pairs = sorted(people[event.pk], key=lambda pair: pair[1].full_name)
        appearances = [Appearance(event=event, role=role, person=person) for role, person in pairs]
        parts[event.pk] = (
            appearances_part(appearances, event.forum.year),
            any(person.is_sample for _role, person in pairs),
        )
    return parts


def region_record(outline: RegionOutline, *, preview: bool = False) -> RegionRecord:
    """The region of ``outline`` at every edition: its people who chaired or spoke, and in which
    events; the agreements it is party to; how many agreements per edition. Each event's part
    and each agreement's item kept until it changes (public.fragments)."""
    region, forums = outline.region, outline.forums
    editions = {forum.pk: RegionEdition(forum=forum) for forum in forums}
    people = kept_parts(
        kind="region-people",
        versions=outline.appearances,
        preview=preview,
        make=lambda event_ids: _appearance_parts(region, event_ids),
        made_for=region.code,
    )
    has_sample_people = False
    for event_id, forum_id, _version in outline.appearances:
        # An event unpublished since the outline was read has no part: left out.
        if event_id in people:
            html, has_sample = people[event_id]
            editions[forum_id].appearances.append(html)
            has_sample_people |= has_sample
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
        versions=outline.agreements,
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
        has_sample=any(is_sample for _html, _forum, is_sample in items) or has_sample_people,
    )
