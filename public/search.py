"""Search across every edition (README: "Search"): forums, events, agreements, regions and the
people named on public programmes, in the page's language with Russian behind it.

On PostgreSQL: full-text search with the language's dictionary (``russian``, ``english``;
``simple`` for Belarusian, which PostgreSQL has none for) or'ed with Russian, and trigram word
similarity of the titles for typos, both over columns the database keeps with GIN indexes
(public/migrations/0002_search_columns), so a search reads indexes rather than every row.
Elsewhere (SQLite, development): every word of the query must start a word of the texts,
compared case- and ё-blind in Python. Either way two queries a kind: the page's keys (with the
total), then the page's rows.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from modeltranslation.utils import resolution_order

from agreements.models import Agreement
from delegates.models import Assignment, Delegate
from events.models import Event
from forum.models import Forum, Region

MAX_QUERY = 200
MAX_WORDS = 12
PER_GROUP = 5
PER_PAGE = 20
SNIPPET = 160
SIMILARITY = 0.45
CONFIGS = {"ru": "russian", "en": "english", "be": "simple"}
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case- and ё-blind: what both the query and the texts are compared as."""
    return text.casefold().replace("ё", "е")


def _stem(word: str) -> str:
    # A crude ending-blind match for the fallback and the marks: "соглашениями" finds
    # "соглашение" by its first letters.
    return word[: max(4, len(word) - 2)] if len(word) > 5 else word


def query_words(query: str) -> list[str]:
    return _WORD.findall(normalise(query))[:MAX_WORDS]


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched (no control characters, at most MAX_QUERY long) and whether it was
    cut."""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    text = " ".join(text.split())
    return text[:MAX_QUERY], len(text) > MAX_QUERY


@dataclass(frozen=True)
class Kind:
    """One kind of result: its rows, the texts searched (headline first) and how it shows."""

    key: str
    label: str
    fields: tuple[str, ...]

    def rows(self, preview: bool):
        if self.key == "forums":
            return Forum.objects.visible(preview=preview)
        if self.key == "events":
            return Event.objects.visible(preview=preview)
        if self.key == "agreements":
            return Agreement.objects.visible(preview=preview)
        if self.key == "regions":
            return Region.objects.all()
        on_programme = Assignment.objects.filter(
            delegate=OuterRef("pk"), event__in=Event.objects.visible(preview=preview)
        )
        return Delegate.objects.filter(Exists(on_programme))


KINDS = (
    Kind("forums", gettext_lazy("Forums"), ("title", "theme", "host_cities")),
    Kind("events", gettext_lazy("Events"), ("title", "description")),
    Kind("agreements", gettext_lazy("Agreements"), ("title", "subject", "registry_number")),
    Kind("regions", gettext_lazy("Regions"), ("name", "code")),
    Kind(
        "people",
        gettext_lazy("People"),
        ("last_name", "first_name", "middle_name", "position", "organisation"),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
# Not translated: registry numbers and region codes.
_PLAIN = {"registry_number", "code"}


def _languages() -> list[str]:
    return [
        language
        for language in resolution_order(get_language() or settings.LANGUAGE_CODE)
        if language in settings.MODELTRANSLATION_LANGUAGES
    ]


def _column(name: str, language: str):
    return name if name in _PLAIN else f"{name}_{language}"


# --- PostgreSQL -------------------------------------------------------------------------------


def _stored(rows, name: str, output_field):
    """A column public/migrations/0002_search_columns keeps on the rows' table for the page's
    language, Russian behind it: ``document`` (the tsvector) or ``headline`` (the normalised
    title)."""
    table = rows.model._meta.db_table
    return RawSQL(f'"{table}"."search_{name}_{_languages()[0]}"', [], output_field=output_field)


def similar_enough(sender, connection, **kwargs):
    """On each new PostgreSQL connection: what the trigram index finds (`%>`) is what is
    SIMILARITY alike, not pg_trgm's default 0.6 (connection_created, public/apps.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(SIMILARITY)],
            )


# Stands for the query in the keys' SQL built once: clean_query leaves no control character.
_QUERY = "\x00query\x00"


@lru_cache(maxsize=256)
def _keys_sql(kind_key: str, language: str, preview: bool, offset: int, limit: int):
    """The SQL of a kind's keys and total, and its parameters with ``_QUERY`` for the query, in
    the page's ``language`` (the active one): built once a process for each, since building it
    cost more than running it."""
    kind = KINDS_BY_KEY[kind_key]
    config = CONFIGS[language]
    search = SearchQuery(_QUERY, config=config, search_type="websearch")
    if config != "russian":
        search = search | SearchQuery(_QUERY, config="russian", search_type="websearch")
    words = Value(_QUERY)
    rows = kind.rows(preview)
    headline = _stored(rows, "headline", TextField())
    rows = (
        rows.annotate(
            document=_stored(rows, "document", SearchVectorField()),
            similarity=TrigramWordSimilarity(words, headline),
        )
        # `%>` is what the headline's index serves; the threshold it reads is SIMILARITY, or
        # more (``>=``), hence the exact comparison too.
        .filter(
            Q(document=search)
            | (TrigramWordSimilar(headline, words) & Q(similarity__gt=SIMILARITY))
        )
        .annotate(
            rank=SearchRank(F("document"), search) + F("similarity"),
            total=Window(Count("pk")),
        )
        .order_by("-rank", "pk")
        .values_list("pk", "total")[offset : offset + limit]
    )
    return rows.query.sql_with_params()


def _postgres_keys(kind: Kind, query: str, preview: bool, offset: int, limit: int):
    sql, params = _keys_sql(kind.key, _languages()[0], preview, offset, limit)
    text = normalise(query)
    with connection.cursor() as cursor:
        cursor.execute(sql, [text if param == _QUERY else param for param in params])
        # The columns by name: the ORM selects the window's total before the key.
        names = [column.name for column in cursor.description]
        pk, total = names.index("pk"), names.index("total")
        rows = cursor.fetchall()
    return [row[pk] for row in rows], (rows[0][total] if rows else None)


# --- Elsewhere (SQLite) -----------------------------------------------------------------------


def _fallback_keys(kind: Kind, words: list[str], preview: bool, offset: int, limit: int):
    columns = [_column(name, language) for name in kind.fields for language in _languages()]
    headline = {_column(kind.fields[0], language) for language in _languages()}
    stems = [_stem(word) for word in words]
    ranked = []
    for row in kind.rows(preview).values("pk", *dict.fromkeys(columns)):
        score = 0
        for stem in stems:
            found = [
                column
                for column in columns
                if any(w.startswith(stem) for w in _WORD.findall(normalise(row[column] or "")))
            ]
            if not found:
                break
            score += 2 if headline & set(found) else 1
        else:
            ranked.append((-score, row["pk"]))
    ranked.sort()
    return [pk for _score, pk in ranked[offset : offset + limit]], len(ranked)


# --- Results ----------------------------------------------------------------------------------


def marked(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """The text in parts, each saying whether it is a word the query matched."""
    stems = [_stem(word) for word in words]
    parts = []
    for part in re.split(r"(\w+)", text):
        if part:
            hit = bool(_WORD.fullmatch(part)) and any(
                normalise(part).startswith(stem) for stem in stems
            )
            parts.append((part, hit))
    return parts


def _snippet(text: str, words: list[str]) -> str:
    """Some words around the first match of a long text."""
    if len(text) <= SNIPPET:
        return text
    folded = normalise(text)
    starts = [folded.find(_stem(word)) for word in words]
    start = min((s for s in starts if s >= 0), default=0)
    begin = max(0, start - SNIPPET // 3)
    excerpt = text[begin : begin + SNIPPET]
    return ("…" if begin else "") + excerpt + ("…" if begin + SNIPPET < len(text) else "")


@dataclass
class Hit:
    title: list[tuple[str, bool]]
    url: str
    detail: list[tuple[str, bool]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    is_sample: bool = False


@dataclass
class Group:
    kind: Kind
    hits: list[Hit]
    total: int


def _load(kind: Kind, pks: list[int], preview: bool) -> list:
    rows = kind.rows(preview).filter(pk__in=pks)
    if kind.key == "events":
        rows = rows.select_related("forum").defer("video_conference_url")
    elif kind.key == "agreements":
        rows = rows.select_related("forum")
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in pks if pk in found]


def _people_events(people: list, preview: bool) -> dict[int, list[tuple[str, str]]]:
    """The public events each person is on: (title, url), one query for the page."""
    events = {}
    assignments = (
        Assignment.objects.filter(
            delegate__in=[person.pk for person in people],
            event__in=Event.objects.visible(preview=preview),
        )
        # select_related: each link names its event and the forum's year.
        .select_related("event__forum")
        .order_by("-event__forum__year", "event__pk")
    )
    for assignment in assignments:
        event = assignment.event
        url = reverse("event", kwargs={"year": event.forum.year, "slug": event.slug})
        events.setdefault(assignment.delegate_id, []).append(
            (f"{event.title} ({event.forum.year})", url)
        )
    return events


def _hit(kind: Kind, row, words: list[str], extra) -> Hit:
    if kind.key == "forums":
        return Hit(
            title=marked(row.title, words),
            url=reverse("forum-overview", kwargs={"year": row.year}),
            detail=marked(_snippet(row.theme or row.host_cities, words), words),
        )
    if kind.key == "events":
        return Hit(
            title=marked(row.title, words),
            url=reverse("event", kwargs={"year": row.forum.year, "slug": row.slug}),
            detail=marked(_snippet(f"{row.forum.title}. {row.description}", words), words),
        )
    if kind.key == "agreements":
        return Hit(
            title=marked(f"{row.registry_number} {row.title}", words),
            url=reverse("agreements", kwargs={"year": row.forum.year}),
            detail=marked(_snippet(f"{row.forum.title}. {row.subject}", words), words),
            is_sample=row.is_sample,
        )
    if kind.key == "regions":
        return Hit(
            title=marked(row.name, words),
            url=reverse("region", kwargs={"code": row.code}),
            detail=marked(f"{row.get_country_display()}, {row.code}", words),
        )
    affiliation = ", ".join(part for part in (row.position, row.organisation) if part)
    events = extra.get(row.pk, [])
    return Hit(
        title=marked(row.full_name, words),
        url=events[0][1] if events else "",
        detail=marked(affiliation, words),
        links=events,
        is_sample=row.is_sample,
    )


@dataclass
class Results:
    query: str
    cut: bool = False
    groups: list[Group] = field(default_factory=list)
    kind: Kind | None = None
    page: int = 1
    pages: int = 1

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def has_sample(self) -> bool:
        return any(hit.is_sample for group in self.groups for hit in group.hits)


def search(raw_query: str, *, kind: str = "", page: int = 1, preview: bool = False) -> Results:
    """What a query finds, grouped by kind; with ``kind``, that kind's ``page`` only."""
    query, cut = clean_query(raw_query)
    results = Results(query=query, cut=cut, kind=KINDS_BY_KEY.get(kind))
    words = query_words(query)
    if not words:
        return results
    kinds = [results.kind] if results.kind else list(KINDS)
    limit = PER_PAGE if results.kind else PER_GROUP
    offset = (max(page, 1) - 1) * limit if results.kind else 0
    on_postgres = connection.vendor == "postgresql"
    for each in kinds:
        if on_postgres:
            pks, total = _postgres_keys(each, query, preview, offset, limit)
        else:
            pks, total = _fallback_keys(each, words, preview, offset, limit)
        if total is None and offset:
            # Past the last page: the total says where the last page is.
            total = _postgres_keys(each, query, preview, 0, 1)[1]
        rows = _load(each, pks, preview) if pks else []
        extra = _people_events(rows, preview) if each.key == "people" and rows else {}
        hits = [_hit(each, row, words, extra) for row in rows]
        results.groups.append(Group(kind=each, hits=hits, total=total or 0))
    if results.kind:
        total = results.groups[0].total
        results.pages = max(1, -(-total // PER_PAGE))
        results.page = min(max(page, 1), results.pages)
    return results
