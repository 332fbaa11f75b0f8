import datetime as dt
from functools import partial

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from agreements.selectors import (
    registry_agreements,
    registry_counts,
    registry_regions,
    registry_totals,
)
from documents.downloads import document_response
from public.caching import PUBLIC_MAX_AGE, page_reads, page_version, programme_forum
from public.exports import registry_csv, registry_csv_line
from public.forms import RegistryFilterForm
from public.fragments import (
    agreement_parts,
    event_page_version,
    programme_blocks,
    registry_outline,
)
from public.now import forum_now
from public.rules import answer_preview, reader_previews
from public.selectors import (
    document_file_for_reader,
    documents_for_page,
    event_for_page,
    forum_archive,
    forum_days_at_a_glance,
    forum_featured,
    forum_for_reader,
)
from public.templatetags.agreement_parts import registry_row


def read_only(view):
    """GET and HEAD only: any other method gets 405 (OPTIONS and TRACE too, never the page).
    No CSRF check first: a public page takes no form, so a POST is refused the same way."""
    return csrf_exempt(require_safe(view))


@read_only
def language_redirect(request):
    """Send a reader of / to the home page in the best language they accept."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return HttpResponseRedirect(reverse("home"))


class HomeView(TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forums"] = list(forum_archive())
        featured = context["featured"] = forum_featured(context["forums"])
        if featured and _around_its_days(featured):
            now = forum_now(forum=featured, at=timezone.now())
            context["now"] = now if now.is_on else None
        return context


def _around_its_days(forum) -> bool:
    """Today (give or take the day between time zones) falls from the forum's first day to its
    last: only then does the home page ask what is on now, at the cost of its queries."""
    today, slack = timezone.localdate(), dt.timedelta(days=1)
    first = forum.first_day or forum.starts_on
    return first - slack <= today <= forum.ends_on + slack


@page_reads()
def forum_overview(request, year):
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    context = {
        "forum": forum,
        "preview": preview,
        "days": forum_days_at_a_glance(forum=forum, preview=preview),
        "documents": documents_for_page(forum=forum, preview=preview),
        "counts": registry_counts(forum=forum, preview=preview),
    }
    return answer_preview(render(request, "public/overview.html", context), preview=preview)


@page_reads()
def programme(request, year):
    preview = reader_previews(request)
    # The forum with its version (public.caching): the events' kept blocks go by it.
    forum = programme_forum(request, year)
    days, has_sample = programme_blocks(forum=forum, preview=preview)
    context = {"forum": forum, "days": days, "preview": preview, "has_sample": has_sample}
    return answer_preview(render(request, "public/programme.html", context), preview=preview)


@page_reads()
@page_version(event_page_version)
def event_detail(request, year, slug):
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    event = event_for_page(forum=forum, slug=slug, preview=preview)
    agreements = event.agreements.all()
    context = {
        "forum": forum,
        "event": event,
        "agreements": agreements,
        "documents": documents_for_page(forum=forum, preview=preview, event=event),
        "preview": preview,
        "has_sample": event.has_sample_people or any(a.is_sample for a in agreements),
    }
    return answer_preview(render(request, "public/event.html", context), preview=preview)


@page_reads()
def now(request, year):
    """What is on now and next on the forum's days; outside them, when it opens or that it is
    over (cached by public.caching for MOMENT_SECONDS at most)."""
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    context = {
        "forum": forum,
        "preview": preview,
        "now": forum_now(forum=forum, at=timezone.now(), preview=preview),
    }
    return answer_preview(render(request, "public/now.html", context), preview=preview)


@page_reads(*RegistryFilterForm.base_fields, "format")
def registry(request, year):
    """The forum's agreement registry; `?format=csv` downloads what the filters show."""
    preview = reader_previews(request)
    # The forum read once a request (public.caching).
    forum = programme_forum(request, year)
    regions = registry_regions(forum=forum, preview=preview)
    form = RegistryFilterForm(request.GET or None, regions=regions)
    agreements = registry_agreements(forum=forum, preview=preview, **form.filters())
    # Each agreement's row (or CSV line) kept until it changes (public.fragments).
    outline = None if preview else registry_outline(forum=forum)
    parts = partial(agreement_parts, agreements=agreements, preview=preview, outline=outline)
    if request.GET.get("format") == "csv":
        lines = parts(kind="registry-csv", make=registry_csv_line)
        return answer_preview(_registry_csv(forum, lines), preview=preview)
    rows = parts(
        kind="registry",
        make=lambda agreement: (registry_row(agreement, forum), agreement.is_sample),
    )
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    context = {
        "forum": forum,
        "preview": preview,
        "form": form,
        "rows": [html for html, _is_sample in rows],
        "counts": registry_counts(forum=forum, preview=preview),
        "totals": registry_totals(agreements),
        "csv_query": csv_query.urlencode(),
        "has_sample": any(is_sample for _html, is_sample in rows),
    }
    return answer_preview(render(request, "public/registry.html", context), preview=preview)


def _registry_csv(forum, lines: list[str]) -> HttpResponse:
    response = HttpResponse(registry_csv(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agreements-{forum.year}.csv"'
    return response


def document_download(request, year, pk, language, extension):
    """A public document's file, with validators: a repeat asks with them and gets a 304."""
    preview = reader_previews(request)
    document_file = document_file_for_reader(
        year=int(year),
        document_id=int(pk),
        language=language,
        format_=extension,
        preview=preview,
    )
    # The bytes decide the tag: a new title or another edit of the row sends no new file.
    etag = f'"{document_file.sha256}"'
    last_modified = int(document_file.updated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = document_response(document_file)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if not preview:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return answer_preview(response, preview=preview)
