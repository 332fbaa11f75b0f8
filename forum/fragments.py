"""Parts of pages kept in the shared cache per row, version and language (README: "Feeds and
caching"): a page is then joined from the kept parts, and only the rows that changed are made
again (public.fragments: the programme's events; delegates.parts: a delegate's events)."""

from collections.abc import Callable

from django.core.cache import cache
from django.utils import translation

from forum.revision import REVISION

FRAGMENT_TIMEOUT = 60 * 60 * 24


def kept_fragments(
    *,
    kind: str,
    versions: list[tuple[int, int, str]],
    build: Callable[[list[int]], dict],
    made_for: str = "",
) -> dict:
    """Each row's (an event's, an agreement's) fragment of ``kind`` in the active language (and
    for ``made_for``, e.g. the site address its links begin with), from the shared cache, by id;
    ``versions`` the rows' (id, anything, version). Those missing (new versions) made by
    ``build(ids)`` and kept. With the cache down, all are made."""
    language = translation.get_language()
    prefix = f"fragment:{kind}:{REVISION}:{language}:{made_for}"
    keys = {pk: f"{prefix}:{pk}:{version}" for pk, _day, version in versions}
    found = cache.get_many(list(keys.values()))
    fragments = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in fragments]
    if missing:
        built = build(missing)
        cache.set_many({keys[pk]: built[pk] for pk in missing if pk in built}, FRAGMENT_TIMEOUT)
        fragments.update(built)
    return fragments
