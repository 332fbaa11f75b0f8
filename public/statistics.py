"""The figures of the statistics page across every edition (README: "Statistics").

Each figure is one table, made once by one function of ``FIGURES`` from the database; the page's
table, its chart and its CSV file are drawn from that same table, so each number is computed in
one place only.
"""

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Sum, Value
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, AgreementKind, Party, Status
from delegates.models import Assignment, Category, Delegate
from events.models import Event, EventKind
from forum.models import Country, Forum, Region
from forum.revision import REVISION
from public.caching import SITE_READS_TIMEOUT, digest_of
from public.charts import Chart, chart_svg
from sheets.formulas import neutralise

TOP = 10
# What the figures read is kept while its version may still be asked for in another
# language or as a CSV file; a page made is kept on its own (public.caching).
READS_TIMEOUT = SITE_READS_TIMEOUT


@dataclass
class Table:
    """One figure: its rows (the first cell of each heads the row), which rows hold sample data,
    and the chart drawn from them (if any)."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    sample_rows: set[int] = field(default_factory=set)
    chart: Chart | None = None
    note: str = ""

    @property
    def has_sample(self) -> bool:
        return bool(self.sample_rows)

    @property
    def marked_rows(self) -> list[tuple[list, bool]]:
        return [(row, index in self.sample_rows) for index, row in enumerate(self.rows)]

    @cached_property
    def description(self) -> str:
        """The chart's text alternative: every figure it draws, in words."""
        if self.chart is None:
            return ""
        parts = []
        for name, values in self.chart.series:
            pairs = ", ".join(
                f"{label}: {'—' if value is None else value}"
                for label, value in zip(self.chart.labels, values, strict=True)
            )
            parts.append(f"{name} — {pairs}" if len(self.chart.series) > 1 else pairs)
        return f"{self.title}. " + "; ".join(parts) + "."

    @cached_property
    def svg(self) -> str:
        if self.chart is None or self.chart.is_empty:
            return ""
        return chart_svg(self.chart, slug=self.slug, title=self.title, description=self.description)


class Reads:
    """What the figures read from the database, each once per page (the editions and the regions
    several share). What they read is the same in every language: with the figures' ``version`` a
    published page is made at, it is kept in the shared cache (``keep``), and the page in the
    other languages and the CSV files read it from there. A preview neither reads nor keeps it."""

    def __init__(self, *, preview: bool, version: str | None = None):
        self.preview = preview
        self._key = f"statistics-reads:{REVISION}:{version}" if version and not preview else None
        self._made: set[str] = set()

    @cached_property
    def _found(self) -> dict:
        # Read when a figure first asks: a page already made needs only the digest.
        return (cache.get(self._key) if self._key else None) or {}

    def kept(self, name: str, make: Callable[[], object]):
        """What ``make()`` reads (plain values, the same in every language), once."""
        if name not in self._found:
            self._found[name] = make()
            self._made.add(name)
        return self._found[name]

    def keep(self, *, whole: bool = False) -> None:
        """Keep what was read; ``whole``: every figure was made from it, so its digest is the
        page's, kept too for the other languages to find their page by (``known_digest``)."""
        if self._key and self._made:
            cache.set(self._key, self._found, READS_TIMEOUT)
            # Of the values as read: a set read back from the cache may pickle in another order.
            if whole:
                cache.set(f"{self._key}:digest", self.digest(), READS_TIMEOUT)

    def known_digest(self) -> str | None:
        """The digest of every figure's reads at this version, if a page was made at it."""
        return cache.get(f"{self._key}:digest") if self._key else None

    def digest(self) -> str | None:
        """What was read, as a digest (``digest_of``). None when nothing is kept (a preview)."""
        if not self._key:
            return None
        # In name order: a CSV file may have read one figure before the page read the rest.
        return digest_of(sorted(self._found.items()))

    @cached_property
    def editions(self) -> list[Forum]:
        return self.kept(
            "editions",
            lambda: list(
                Forum.objects.visible(preview=self.preview)
                .order_by("year")
                .only("id", "year", "number", "agreements_reported")
            ),
        )

    @cached_property
    def regions(self) -> dict[int, Region]:
        return self.kept("regions", lambda: {region.pk: region for region in Region.objects.all()})

    @property
    def agreements(self):
        # order_by(): the model's ordering would join GROUP BY and split the counts.
        return (
            Agreement.objects.visible(preview=self.preview)
            .filter(forum__in=[forum.pk for forum in self.editions])
            .order_by()
        )

    @property
    def assignments(self):
        visible = Event.objects.visible(preview=self.preview)
        return Assignment.objects.filter(event__in=visible).order_by()


def _by_edition(rows, key: str) -> tuple[dict, set]:
    """{(forum id, key value): count} and the forum ids whose count includes sample rows."""
    counts, sample = {}, set()
    for row in rows:
        counts[row["forum"], row[key]] = row["n"]
        if row["sample"]:
            sample.add(row["forum"])
    return counts, sample


def _matrix(reads: Reads, table: Table, counts: dict, keys: list, sample_forums: set) -> None:
    """Rows per edition with a column per key and their total, then a row of all editions."""
    totals = Counter()
    for index, forum in enumerate(reads.editions):
        values = [counts.get((forum.pk, key), 0) for key in keys]
        totals.update(dict(zip(keys, values, strict=True)))
        table.rows.append([forum.year, *values, sum(values)])
        if forum.pk in sample_forums:
            table.sample_rows.add(index)
    table.rows.append([_("All editions"), *(totals[key] for key in keys), sum(totals.values())])
    if sample_forums & {forum.pk for forum in reads.editions}:
        table.sample_rows.add(len(table.rows) - 1)


def _sample_count(lookup: str = "is_sample", *, distinct: str | None = None):
    if distinct:
        return Count(distinct, distinct=True, filter=Q(**{lookup: True}))
    return Count("pk", filter=Q(**{lookup: True}))


def agreements_per_edition(reads: Reads) -> Table:
    rows = reads.agreements.values("forum").annotate(n=Count("pk"), sample=_sample_count())
    counts = reads.kept("agreements-per-edition", lambda: {row["forum"]: row for row in rows})
    table = Table(
        slug="agreements-per-edition",
        title=_("Agreements per edition: in our registry and as reported"),
        columns=[_("Year"), _("Edition"), _("Reported signed"), _("In our registry")],
        note=_(
            "The reported figure is the one officials or the press gave; our registry lists the "
            "agreements we have the texts of."
        ),
    )
    for index, forum in enumerate(reads.editions):
        found = counts.get(forum.pk, {"n": 0, "sample": 0})
        table.rows.append([forum.year, forum.number, forum.agreements_reported, found["n"]])
        if found["sample"]:
            table.sample_rows.add(index)
    years = [row[0] for row in table.rows]
    table.chart = Chart(
        "lines",
        years,
        [
            (_("In our registry"), [row[3] for row in table.rows]),
            (_("Reported signed"), [row[2] for row in table.rows]),
        ],
    )
    return table


def _totals_chart(table: Table, labels: list[str]) -> Chart:
    return Chart("bars", labels, [(table.title, table.rows[-1][1:-1])])


def _agreements_by(reads: Reads, field: str, choices, *, slug: str, title: str) -> Table:
    rows = reads.agreements.values("forum", field).annotate(n=Count("pk"), sample=_sample_count())
    counts, sample = reads.kept(f"agreements-by-{field}", lambda: _by_edition(rows, field))
    labels = [capfirst(label) for label in choices.labels]
    table = Table(slug=slug, title=title, columns=[_("Year"), *labels, _("Total")])
    _matrix(reads, table, counts, list(choices.values), sample)
    table.chart = _totals_chart(table, labels)
    return table


def agreements_by_status(reads: Reads) -> Table:
    return _agreements_by(
        reads,
        "status",
        Status,
        slug="agreements-by-status",
        title=_("Agreements in our registry by status"),
    )


def agreements_by_kind(reads: Reads) -> Table:
    return _agreements_by(
        reads,
        "kind",
        AgreementKind,
        slug="agreements-by-kind",
        title=_("Agreements in our registry by kind"),
    )


def agreement_values(reads: Reads) -> Table:
    rows = (
        reads.agreements.filter(value__isnull=False)
        .values("forum", "currency")
        .annotate(total=Sum("value"), n=Count("pk"), sample=_sample_count())
        .order_by("forum__year", "currency")
    )
    rows = reads.kept("agreement-values", lambda: list(rows))
    years = {forum.pk: forum.year for forum in reads.editions}
    table = Table(
        slug="agreement-values",
        title=_("Value of the agreements per edition, by currency"),
        columns=[_("Year"), _("Currency"), _("Total value"), _("Agreements with a value")],
        note=_("Values in different currencies are not added up or converted."),
    )
    for index, row in enumerate(rows):
        table.rows.append([years[row["forum"]], row["currency"], row["total"], row["n"]])
        if row["sample"]:
            table.sample_rows.add(index)
    return table


def _region_parties(reads: Reads):
    return Party.objects.filter(agreement__in=reads.agreements, region__isnull=False).order_by()


def _top_regions(reads: Reads, country: str, slug: str, title: str) -> Table:
    rows = (
        _region_parties(reads)
        .filter(region__country=country)
        .values("region")
        .annotate(
            n=Count("agreement", distinct=True),
            sample=_sample_count("agreement__is_sample", distinct="agreement"),
        )
        .order_by("-n", "region__code")[:TOP]
    )
    rows = reads.kept(slug, lambda: list(rows))
    table = Table(slug=slug, title=title, columns=[_("Region"), _("Agreements")])
    for index, row in enumerate(rows):
        table.rows.append([reads.regions[row["region"]].name, row["n"]])
        if row["sample"]:
            table.sample_rows.add(index)
    table.chart = Chart(
        "bars", [row[0] for row in table.rows], [(title, [r[1] for r in table.rows])]
    )
    return table


def regions_of_belarus(reads: Reads) -> Table:
    title = _("Regions of Belarus most often party to agreements")
    return _top_regions(reads, Country.BELARUS, "regions-of-belarus", title)


def regions_of_russia(reads: Reads) -> Table:
    title = _("Regions of Russia most often party to agreements")
    return _top_regions(reads, Country.RUSSIA, "regions-of-russia", title)


def _pairs(reads: Reads) -> tuple[Counter, set]:
    """How many agreements each pair of regions (ids, in order) is party to together, and the
    pairs that count a sample agreement."""
    regions_of = defaultdict(set)
    sample_agreements = set()
    # rewrite(False): plain tuples. A translated model's rows go through its fallbacks one by
    # one (half the time of some 1,600 rows), and none of these columns is translated.
    rows = _region_parties(reads).rewrite(False)
    for agreement, region, is_sample in rows.values_list(
        "agreement", "region", "agreement__is_sample"
    ):
        regions_of[agreement].add(region)
        if is_sample:
            sample_agreements.add(agreement)
    pairs, sample_pairs = Counter(), set()
    for agreement, regions in regions_of.items():
        for pair in combinations(sorted(regions), 2):
            pairs[pair] += 1
            if agreement in sample_agreements:
                sample_pairs.add(pair)
    return pairs, sample_pairs


def region_pairs(reads: Reads) -> Table:
    pairs, sample_pairs = reads.kept("region-pairs", lambda: _pairs(reads))
    # Ranked by count, then by the regions' names in the reader's language: only the pairs that
    # may reach the top are ranked, each region's name looked up once (a translated field).
    counts = sorted(pairs.values(), reverse=True)
    least = counts[TOP - 1] if len(counts) >= TOP else 0
    names: dict[int, str] = {}

    def name(pk: int) -> str:
        if pk not in names:
            names[pk] = reads.regions[pk].name
        return names[pk]

    ranked = sorted(
        ((pair, count) for pair, count in pairs.items() if count >= least),
        key=lambda item: (-item[1], name(item[0][0]), name(item[0][1])),
    )
    table = Table(
        slug="region-pairs",
        title=_("Pairs of regions that sign together most"),
        columns=[_("Region"), _("Partner region"), _("Agreements together")],
    )
    for index, ((first, second), count) in enumerate(ranked[:TOP]):
        table.rows.append([name(first), name(second), count])
        if (first, second) in sample_pairs:
            table.sample_rows.add(index)
    labels = [f"{row[0]} — {row[1]}" for row in table.rows]
    table.chart = Chart("bars", labels, [(table.title, [row[2] for row in table.rows])])
    return table


def _people(reads: Reads) -> list[tuple]:
    """(edition, country, category, sample, n): distinct people on the public programme of each
    edition, in one query for both figures (a person has one country and one category, so each
    figure's counts are sums of these)."""
    # Each person once an edition first, then counted: COUNT(DISTINCT …) sorted every assignment
    # and took twice as long. The ORM has no subquery in FROM, hence the SQL around its own.
    pairs = reads.assignments.values(forum=F("event__forum"), person=F("delegate")).distinct()
    sql, params = pairs.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(f"d.{quote(name)}" for name in ("country", "category", "is_sample"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.forum, {columns}, COUNT(*) FROM ({sql}) p"
            f" JOIN {quote(Delegate._meta.db_table)} d ON d.{quote('id')} = p.person"
            " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
            params,
        )
        return cursor.fetchall()


def _delegates_by(reads: Reads, field_name: str) -> tuple[dict, set]:
    """Distinct people on the public programme of each edition, by one of their fields; and the
    editions that count a sample person."""
    position = {"country": 1, "category": 2}[field_name]
    counts, sample = Counter(), set()
    for row in reads.kept("people-on-programmes", lambda: _people(reads)):
        counts[row[0], row[position]] += row[4]
        if row[3]:
            sample.add(row[0])
    return counts, sample


def delegates_by_country(reads: Reads) -> Table:
    counts, sample = _delegates_by(reads, "country")
    labels = [str(label) for label in Country.labels]
    table = Table(
        slug="delegates-by-country",
        title=_("People on the public programme per edition, by country"),
        columns=[_("Year"), *labels, _("Total")],
        note=_("Each person is counted once an edition, whatever their roles."),
    )
    _matrix(reads, table, counts, list(Country.values), sample)
    editions = table.rows[:-1]
    table.chart = Chart(
        "lines",
        [row[0] for row in editions],
        [(label, [row[i + 1] for row in editions]) for i, label in enumerate(labels)],
    )
    return table


def delegates_by_category(reads: Reads) -> Table:
    counts, sample = _delegates_by(reads, "category")
    labels = [capfirst(label) for label in Category.labels]
    table = Table(
        slug="delegates-by-category",
        title=_("People on the public programme per edition, by category"),
        columns=[_("Year"), *labels, _("Total")],
        note=_("The row of all editions adds up the editions: a person at two counts twice."),
    )
    _matrix(reads, table, counts, list(Category.values), sample)
    table.chart = _totals_chart(table, labels)
    return table


def events_by_kind(reads: Reads) -> Table:
    rows = (
        Event.objects.visible(preview=reads.preview)
        .order_by()
        .values("forum", "kind")
        .annotate(n=Count("pk"), sample=Value(0))
    )
    counts, sample = reads.kept("events-by-kind", lambda: _by_edition(rows, "kind"))
    labels = [capfirst(label) for label in EventKind.labels]
    table = Table(
        slug="events-by-kind",
        title=_("Events on the public programme per edition, by kind"),
        columns=[_("Year"), *labels, _("Total")],
    )
    _matrix(reads, table, counts, list(EventKind.values), sample)
    editions = table.rows[:-1]
    table.chart = Chart(
        "columns", [row[0] for row in editions], [(_("Events"), [row[-1] for row in editions])]
    )
    return table


# The page's sections, each a heading and its figures, in the order they are shown.
SECTIONS = (
    (
        gettext_lazy("Agreements"),
        (agreements_per_edition, agreements_by_status, agreements_by_kind, agreement_values),
    ),
    (gettext_lazy("Regions"), (regions_of_belarus, regions_of_russia, region_pairs)),
    (gettext_lazy("Participation"), (delegates_by_country, delegates_by_category, events_by_kind)),
)
FIGURES = {
    figure.__name__.replace("_", "-"): figure for _title, figures in SECTIONS for figure in figures
}


@dataclass
class Section:
    title: str
    tables: list[Table]


class Figures:
    """Every figure of the page, by section (``sections``), made when first asked for; and the
    digest of what they are made from (``Reads.digest``): once a page was made at the figures'
    ``version``, known without making them again (the page in another language may be kept)."""

    def __init__(self, *, preview: bool = False, version: str | None = None):
        self.reads = Reads(preview=preview, version=version)

    @cached_property
    def sections(self) -> list[Section]:
        sections = [
            Section(title=str(title), tables=[figure(self.reads) for figure in figures])
            for title, figures in SECTIONS
        ]
        self.reads.keep(whole=True)
        return sections

    @cached_property
    def digest(self) -> str | None:
        """None when not to be kept (a preview)."""
        known = self.reads.known_digest()
        return known if known is not None else self._made_digest()

    def _made_digest(self) -> str | None:
        # Of every figure's reads: the figures are made first.
        _sections = self.sections
        return self.reads.digest()


def statistics_table(
    *, slug: str, preview: bool = False, version: str | None = None
) -> Table | None:
    figure = FIGURES.get(slug)
    if figure is None:
        return None
    reads = Reads(preview=preview, version=version)
    table = figure(reads)
    reads.keep()
    return table


def table_csv(table: Table) -> str:
    """The table as the page shows it, with a column saying which rows hold sample data."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*table.columns, _("sample data")])
    for row, sample in table.marked_rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        writer.writerow([neutralise(cell) for cell in [*cells, _("yes") if sample else ""]])
    # A byte-order mark: Excel then reads the file as UTF-8 (Cyrillic intact).
    return "\ufeff" + out.getvalue()
