"""A delegate's own page, kept rendered in the shared cache between visits (README: "Delegates'
access"). Rendering its programme costs some 5 ms and four queries (its versions, the delegate's
assignments, what their last visit showed and now shows) for a delegate in three events of 125
people, from the parts every delegate of an event shares (delegates.parts); a part not kept
costs some 15 ms and four queries more, once for all the event's delegates. The rest of the page
(some 2 ms) is rendered only when what it shows changes; a reload while nothing of theirs changed
costs neither.

The entry is the delegate's own: its key holds their id, and only their signed-in page reads it
(nothing of it reaches a public page or the front cache); each process keeps a copy of the entries
it last read or wrote (``_local``). Its programme is served while:

- the shared cache's write generation is the one it was checked under (every write through the
  ORM to what a public page shows replaces it: see public.caching; a delegate's programme shows
  nothing else) and it was checked at most ``PROGRAMME_VERSION_CACHE_SECONDS`` ago, as a public
  page's version is trusted (writes that send no signal);
- else, as long as the version of what their programme shows (delegates.versioning, one query)
  is the one it was rendered from: then it is checked again under the new generation (else it is
  rendered again, from the parts of those versions);
- and the marks of what changed since the last visit have not run out (delegates.services).

At the commit of a change, the entries of delegates who rendered theirs lately get the new
programme before the change is shown (``renew_asked_for``, public.prerender).

The whole page around it is served too while everything else it shows is as it was rendered from
(``_around``: the delegate's row, the login name, the address, the static files' names), whether
or not the programme was rendered again, and no one-time message waits; its forms' CSRF token is
the reader's own, put in at every request.
"""

import copy
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from delegates.changes import programme_entries
from delegates.models import Delegate
from delegates.parts import delegate_page_programme
from delegates.selectors import programme_items, programme_mark
from delegates.services import delegate_programme_seen, delegate_programme_unmarked
from delegates.versioning import ProgrammeVersions, delegate_programme_versions
from forum.cache import ProcessCopies, current_generation, note_asked_for
from forum.revision import REVISION

# An entry not asked for this long is dropped; a version is a new key anyway.
KEPT_SECONDS = 60 * 60 * 24
# Entries a worker keeps a copy of (some 30 KB each), the least recently read dropped first.
LOCAL_ENTRIES = 256
# The delegates (id and language) whose programme a request rendered: renewed at the commit of a
# change (``renew_asked_for``).
ASKED_KEY = "delegate-pages-asked-for"


@dataclass
class Kept:
    html: SafeString
    version: str
    generation: str | None
    checked_at: float
    marks_until: float | None
    # The whole page before and after ``html``, rendered from what ``around`` sums up (kept
    # when only the programme changes), with ``placeholder`` where each form's CSRF token goes
    # (random: nothing the delegate types can hold it).
    page: tuple[str, str] | None = None
    around: str = ""
    placeholder: str = ""


# This process's copies: under the same write generation a reload is served from its copy
# without asking the shared cache (every write moves the generation).
_local = ProcessCopies(LOCAL_ENTRIES)


def _keep(key: str, kept: "Kept") -> None:
    cache.set(key, kept, KEPT_SECONDS)
    # A copy: the caller renews its fields before it writes it back.
    _local.put(key, kept.generation, copy.copy(kept))


def _key(delegate: Delegate, language: str) -> str:
    # The code revision: a release's new templates or translations are a new page.
    return f"delegate-page:{REVISION}:{delegate.pk}:{language}"


def page_html(*, request, delegate: Delegate, render: Callable[[SafeString, str | None], str]):
    """The delegate's page in the active language: ``render(programme_html, csrf_token)`` renders
    it (with the reader's own token where ``csrf_token`` is None), when what is kept is not current
    or a one-time message waits (shown once, never kept)."""
    kept, changed = _programme(request=request, delegate=delegate)
    if len(messages.get_messages(request)):
        if changed:
            _keep(_key(delegate, translation.get_language()), kept)
        return render(kept.html, None)
    around = _around(request=request, delegate=delegate)
    if kept.page is None or kept.around != around:
        kept.placeholder = secrets.token_hex(16)
        programme = SafeString(f"<!--{kept.placeholder}-->")
        before, after = render(programme, kept.placeholder).split(programme)
        kept.page, kept.around, changed = (before, after), around, True
    if changed:
        _keep(_key(delegate, translation.get_language()), kept)
    token = get_token(request)
    before, after = (part.replace(kept.placeholder, token) for part in kept.page)
    return before + kept.html + after


def _around(*, request, delegate: Delegate) -> str:
    """A digest of everything the page shows besides its programme: any field of the delegate's
    row (their name, their calendar's secret…), the login name, the address (the language links
    and canonical address), the names of the static files (a new release's)."""
    # As stored (modeltranslation's fields would give the active language's, more slowly).
    stored = delegate.__dict__
    parts = [
        [stored.get(field.attname) for field in Delegate._meta.concrete_fields],
        request.user.get_username(),
        request.build_absolute_uri(),
        getattr(staticfiles_storage, "manifest_hash", ""),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _programme(*, request, delegate: Delegate) -> tuple[Kept, bool]:
    """The kept entry with the programme part current (rendered again if it was not, recording
    what the delegate has now seen), and whether it changed since it was read."""
    key = _key(delegate, translation.get_language())
    # Tracked in the process (no round trip), made when absent, as a public page reads it.
    generation = current_generation()
    kept = copy.copy(_local.get(key, generation))
    if kept is None:
        kept = cache.get(key)
        if kept is not None:
            _local.put(key, kept.generation, copy.copy(kept))
    now = time.time()
    versions = None
    if kept is not None and (kept.marks_until is None or now < kept.marks_until):
        fresh = now - kept.checked_at < settings.PROGRAMME_VERSION_CACHE_SECONDS
        if generation is not None and generation == kept.generation and fresh:
            return kept, False
        versions = delegate_programme_versions(delegate=delegate)
        if versions.whole == kept.version:
            kept.generation, kept.checked_at = generation, now
            return kept, True
    # Read before the programme: a change in between is a new version at the next visit.
    versions = versions or delegate_programme_versions(delegate=delegate)
    html, marks_until = _render(delegate=delegate, versions=versions)
    note_asked_for(ASKED_KEY, f"{delegate.pk}:{translation.get_language()}")
    renewed = Kept(
        html=html,
        version=versions.whole,
        generation=generation,
        checked_at=now,
        marks_until=marks_until.timestamp() if marks_until else None,
    )
    if kept is not None:
        # The page around the programme shows none of it: kept while its own digest holds.
        renewed.page, renewed.around, renewed.placeholder = kept.page, kept.around, kept.placeholder
    return renewed, True


def _render(*, delegate: Delegate, versions: ProgrammeVersions):
    items, entries, programme = _programme_read(delegate=delegate, versions=versions)
    changes, marks_until = delegate_programme_seen(delegate=delegate, entries=entries)
    return _programme_html(programme, programme_mark(items=items, changes=changes)), marks_until


def _programme_read(*, delegate: Delegate, versions: ProgrammeVersions):
    programme = delegate_page_programme(delegate=delegate, versions=versions)
    items = list(programme_items(programme))
    facts = {item.assignment.event_id: item.part.facts for item in items}
    return items, programme_entries([item.assignment for item in items], facts=facts), programme


def _programme_html(programme, changes) -> SafeString:
    # No request: the part reads nothing of it, and is the same when made before it is asked for.
    context = {"programme": programme, "changes": changes}
    return render_to_string("delegates/includes/me_programme.html", context)


def renew_asked_for(members: list[str], deadline: float) -> None:
    """Before a change is shown (public.prerender, under its unpublished generation): make the
    kept pages of the delegates who asked for theirs lately (``members`` of ASKED_KEY) current,
    until ``deadline`` (monotonic). A page whose next visit would mark a change is left to that
    visit, which records what the delegate saw."""
    asked = [member.split(":") for member in members]
    delegates = Delegate.objects.in_bulk([int(pk) for pk, _language in asked])
    for pk, language in asked:
        if time.monotonic() >= deadline:
            return
        delegate = delegates.get(int(pk))
        if delegate is not None:
            with translation.override(language):
                _renew(delegate)


def _renew(delegate: Delegate) -> None:
    key = _key(delegate, translation.get_language())
    kept = cache.get(key)
    if kept is None or kept.marks_until is not None:
        return
    versions = delegate_programme_versions(delegate=delegate)
    if versions.whole != kept.version:
        items, entries, programme = _programme_read(delegate=delegate, versions=versions)
        if not delegate_programme_unmarked(delegate=delegate, entries=entries):
            return
        changes = programme_mark(items=items, changes=[])
        kept.html, kept.version = _programme_html(programme, changes), versions.whole
    kept.generation, kept.checked_at = current_generation(), time.time()
    _keep(key, kept)
