"""Parts of a page made once per event and language and kept in the shared cache until that
event changes (README: "Feeds and caching"): after an edit to one event, the programme is made
again from the kept parts of the others and one new part. The registry's rows are kept the same
way, once per agreement and language (``agreement_parts``)."""

from collections import Counter
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import translation

from agreements.models import Agreement
from agreements.selectors import registry_agreements
from events.models import Event
from forum.fragments import kept_fragments
from forum.models import Day, Forum
from forum.revision import REVISION
from public.caching import SITE_READS_TIMEOUT, digest_of, made_once
from public.selectors import programme_days, programme_events
from public.templatetags.event_parts import programme_block
from public.versioning import agreement_versions, event_versions

OUTLINE_TIMEOUT = 60 * 60 * 24


def renders(kind: str = "programme") -> int:
    """How many parts of ``kind`` (event blocks: "programme") this process has made (tests
    count them)."""
    return _made[kind]


_made: Counter = Counter()


def programme_outline(*, forum: Forum) -> tuple[list, list[tuple[int, int, str]]]:
    """The forum's days and each published event's (id, day id, version), kept under the
    forum's programme version (two queries when it is new, by one worker at a time)."""

    def read():
        return list(forum.days.order_by("date")), event_versions(forum=forum)

    key = f"programme-outline:{REVISION}:{forum.pk}:{forum.programme_version}"
    return made_once(key, read, OUTLINE_TIMEOUT)


def event_page_version(forum: Forum, *, slug: str, **_kwargs) -> str | None:
    """The version of a published event's page, found by its slug (None for any other): the
    event's own version, as its programme block has. Kept under the forum's version."""

    def read():
        by_pk = {pk: version for pk, _day, version in programme_outline(forum=forum)[1]}
        slugs = Event.objects.visible(preview=False).filter(forum=forum).values_list("slug", "pk")
        return {slug: by_pk[pk] for slug, pk in slugs if pk in by_pk}

    key = f"event-page-versions:{forum.pk}:{forum.programme_version}"
    return made_once(key, read, OUTLINE_TIMEOUT).get(slug)


def event_block(*, forum: Forum, event: Event) -> tuple[str, bool]:
    """The programme's block of one event, and whether it names sample people."""
    _made["programme"] += 1
    return programme_block(event, forum), event.has_sample_people


def event_parts(
    *,
    forum: Forum,
    preview: bool,
    kind: str,
    make: Callable[[list[Event]], dict],
    made_for: str = "",
) -> list[tuple[Day, list]]:
    """The forum's days in order, each with its events' parts of ``kind`` in programme order.
    ``make(events)`` makes the parts of events as ``programme_days`` gives them (with their
    day), by event id. Published parts are kept until their event changes (``kept_fragments``);
    a preview (drafts) makes every part and neither reads nor keeps any."""
    if preview:
        days = programme_days(forum=forum, preview=True)
        parts = make([event for day in days for event in day.events.all()])
        return [(day, [parts[event.pk] for event in day.events.all()]) for day in days]
    days, versions = programme_outline(forum=forum)

    def build(ids: list[int]) -> dict:
        return make(_events_read(forum=forum, versions=versions, ids=ids))

    parts = kept_fragments(kind=kind, versions=versions, build=build, made_for=made_for)
    by_day: dict[int, list] = {}
    for pk, day_id, _version in versions:
        # An event unpublished since the outline was read has no part: left out.
        if pk in parts:
            by_day.setdefault(day_id, []).append(parts[pk])
    return [(day, by_day.get(day.pk, [])) for day in days]


def _events_read(*, forum: Forum, versions: list, ids: list[int]) -> list[Event]:
    """``programme_events`` of ``ids`` at their ``versions``, read once for every kind of part
    made of them (``made_once``): after an edit the programme, its calendar and its JSON make the
    edited event's parts from one read. Once a language: people's names are read in it."""
    wanted = set(ids)
    at = sorted((pk, version) for pk, _day, version in versions if pk in wanted)
    language = translation.get_language()
    key = f"programme-events:{REVISION}:{language}:{forum.pk}:{digest_of(at)}"
    return made_once(key, lambda: programme_events(forum=forum, ids=ids), SITE_READS_TIMEOUT)


def programme_blocks(*, forum: Forum, preview: bool) -> tuple[list[Day], bool]:
    """The forum's days, each with ``blocks``, its events' (programme block, names sample
    people) in order; and whether any names sample people."""

    def make(events: list[Event]) -> dict:
        return {event.pk: event_block(forum=forum, event=event) for event in events}

    days = []
    for day, blocks in event_parts(forum=forum, preview=preview, kind="programme", make=make):
        day.blocks = blocks
        days.append(day)
    has_sample = any(has_sample for day in days for _html, has_sample in day.blocks)
    return days, has_sample


def registry_outline(*, forum: Forum) -> dict[int, str]:
    """The version of each published agreement of a forum from ``forum_with_version``, kept
    under the forum's programme version (which covers every row an agreement's version
    measures): one query after an edit, for every language and filter of the registry, by one
    worker at a time."""

    def read():
        agreements = registry_agreements(forum=forum)
        return {pk: version for pk, _none, version in agreement_versions(agreements)}

    key = f"registry-outline:{REVISION}:{forum.pk}:{forum.programme_version}"
    return made_once(key, read, OUTLINE_TIMEOUT)


def kept_parts(
    *,
    kind: str,
    versions: list[tuple[int, object, str]],
    preview: bool,
    make: Callable[[list[int]], dict],
    made_for: str = "",
) -> dict:
    """The part of ``kind`` (and for ``made_for``) of each id of ``versions`` ((id, _,
    version), e.g. ``appearance_versions``), by id: ``make(ids)`` makes those of ids. Published
    parts are kept until their version moves (``kept_fragments``); a preview (drafts) makes
    every part and neither reads nor keeps any."""

    def build(ids: list[int]) -> dict:
        parts = make(ids)
        _made[kind] += len(parts)
        return parts

    if preview:
        return build([pk for pk, _other, _version in versions])
    return kept_fragments(kind=kind, versions=versions, build=build, made_for=made_for)


def agreement_parts(
    *,
    agreements: QuerySet,
    preview: bool,
    kind: str,
    make: Callable[[Agreement], object],
    made_for: str = "",
    outline: dict[int, str] | None = None,
    versions: list[tuple[int, None, str]] | None = None,
) -> list:
    """The part of ``kind`` (and for ``made_for``, e.g. a region's page) of each of
    ``agreements`` (a selector's, filtered and ordered), in their order: ``make(agreement)``.
    Published parts are kept until their agreement changes (``agreement_versions``,
    ``kept_fragments``): after an edit to one agreement, one part is made. ``outline``: the
    versions of ``agreements`` already at hand (``registry_outline``), which are then read by
    their ids alone; ``versions``: their ``agreement_versions`` at hand, in order, and nothing is
    read but the parts missing. A preview (drafts) makes every part and neither reads nor keeps
    any."""

    def build(rows) -> dict:
        parts = {agreement.pk: make(agreement) for agreement in rows}
        _made[kind] += len(parts)
        return parts

    if preview:
        rows = list(agreements)
        parts = build(rows)
        return [parts[agreement.pk] for agreement in rows]
    if versions is None and outline is None:
        versions = agreement_versions(agreements)
    elif versions is None:
        ids = agreements.select_related(None).prefetch_related(None).values_list("pk", flat=True)
        versions = [(pk, None, outline[pk]) for pk in ids if pk in outline]
    parts = kept_fragments(
        kind=kind,
        versions=versions,
        build=lambda ids: build(agreements.filter(pk__in=ids)),
        made_for=made_for,
    )
    # An agreement withdrawn since its version was read has no part: left out.
    return [parts[pk] for pk, _none, _version in versions if pk in parts]
