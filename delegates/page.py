"""The programme part of a delegate's own page, kept rendered in the shared cache between visits
(README: "Delegates' access"). Rendering it costs some 25 ms and eight queries for a delegate in
three events of 125 people; a reload while nothing of theirs changed costs neither.

The entry is the delegate's own: its key holds their id, and only their signed-in page reads it
(nothing of it reaches a public page or the front cache). It is served while:

- the shared cache's write generation is the one it was checked under (every write through the
  ORM to what a public page shows replaces it: see public.caching; a delegate's programme shows
  nothing else) and it was checked at most ``PROGRAMME_VERSION_CACHE_SECONDS`` ago, as a public
  page's version is trusted (writes that send no signal);
- else, as long as the version of what their programme shows (delegates.versioning, one query)
  is the one it was rendered from: then it is checked again under the new generation;
- and the marks of what changed since the last visit have not run out (delegates.services).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from delegates.changes import programme_entries
from delegates.models import Delegate
from delegates.selectors import delegate_page_programme, programme_assignments, programme_mark
from delegates.services import delegate_programme_seen
from delegates.versioning import delegate_programme_version
from forum.cache import GENERATION_KEY

# An entry not asked for this long is dropped; a version is a new key anyway.
KEPT_SECONDS = 60 * 60 * 24


@dataclass
class Kept:
    html: SafeString
    version: str
    generation: int | None  # as Django's cache reads it back
    checked_at: float
    marks_until: float | None


def _key(delegate: Delegate, language: str) -> str:
    return f"delegate-programme:{delegate.pk}:{language}"


def programme_html(*, request, delegate: Delegate) -> SafeString:
    """The programme part of the delegate's page in the active language, from the shared cache
    when still current, else rendered (recording what the delegate has now seen)."""
    key = _key(delegate, translation.get_language())
    found = cache.get_many([GENERATION_KEY, key])
    generation, kept = found.get(GENERATION_KEY), found.get(key)
    now = time.time()
    version = None
    if kept is not None and (kept.marks_until is None or now < kept.marks_until):
        fresh = now - kept.checked_at < settings.PROGRAMME_VERSION_CACHE_SECONDS
        if generation is not None and generation == kept.generation and fresh:
            return kept.html
        version = delegate_programme_version(delegate=delegate)
        if version == kept.version:
            kept.generation, kept.checked_at = generation, now
            cache.set(key, kept, KEPT_SECONDS)
            return kept.html
    # Read before the programme: a change in between is a new version at the next visit.
    version = version or delegate_programme_version(delegate=delegate)
    html, marks_until = _render(request=request, delegate=delegate)
    kept = Kept(
        html=html,
        version=version,
        generation=generation,
        checked_at=now,
        marks_until=marks_until.timestamp() if marks_until else None,
    )
    cache.set(key, kept, KEPT_SECONDS)
    return html


def _render(*, request, delegate: Delegate):
    programme = delegate_page_programme(delegate=delegate)
    entries = programme_entries(programme_assignments(programme))
    changes, marks_until = delegate_programme_seen(delegate=delegate, entries=entries)
    changes = programme_mark(programme=programme, changes=changes)
    context = {"programme": programme, "changes": changes}
    return render_to_string("delegates/includes/me_programme.html", context, request), marks_until
