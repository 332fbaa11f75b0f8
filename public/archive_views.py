"""The pages across every edition: statistics, regions, search and the open-data guide."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from public.api.docs import api_endpoints
from public.caching import figures_version_of, made_from, page_reads, site_version_of
from public.regions import counted_regions, region_outline, region_record, regions_by_country
from public.rules import answer_preview, reader_previews
from public.search import query_words
from public.search import search as search_across
from public.statistics import Figures, statistics_table, table_csv


@page_reads()
def statistics(request):
    preview = reader_previews(request)
    # The figures' version the page is made at (public.caching.conditional_site): what they
    # read is kept for the other languages and later site versions. None for a signed-in reader:
    # nothing kept.
    figures = Figures(preview=preview, version=figures_version_of(request))

    def page() -> str:
        sections = figures.sections
        context = {
            "sections": sections,
            "preview": preview,
            "has_sample": any(t.has_sample for section in sections for t in section.tables),
        }
        return render_to_string("public/statistics.html", context, request)

    # Made once for the same figures: an edit that moves no count makes no new charts.
    html = made_from(request, "statistics", figures.digest, page)
    return answer_preview(HttpResponse(html), preview=preview)


@page_reads()
def statistics_csv(request, slug):
    preview = reader_previews(request)
    table = statistics_table(slug=slug, preview=preview, version=figures_version_of(request))
    if table is None:
        raise Http404("No such table.")
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.slug}.csv"'
    return answer_preview(response, preview=preview)


@page_reads()
def regions(request):
    preview = reader_previews(request)
    counted = counted_regions(preview=preview, version=figures_version_of(request))

    def page() -> str:
        context = {"countries": regions_by_country(counted.regions), "preview": preview}
        return render_to_string("public/regions.html", context, request)

    # Made once for the same counts: an edit that moves none makes no new page.
    html = made_from(request, "regions", counted.digest, page)
    return answer_preview(HttpResponse(html), preview=preview)


@page_reads()
def region(request, code):
    preview = reader_previews(request)
    outline = region_outline(code=code, preview=preview, version=site_version_of(request))
    if outline is None:
        raise Http404("No such region.")

    def page() -> str:
        record = region_record(outline, preview=preview)
        context = {"record": record, "preview": preview, "has_sample": record.has_sample}
        return render_to_string("public/region.html", context, request)

    # Made once for the same outline: an edit to none of its rows makes no new page.
    html = made_from(request, "region", outline.digest, page)
    return answer_preview(HttpResponse(html), preview=preview)


def _page_number(value) -> int:
    # A page a person types: anything but a small positive number is the first page.
    return int(value) if value.isdigit() and len(value) < 6 else 1


@page_reads("q", "kind", "page")
def search(request):
    preview = reader_previews(request)
    results = search_across(
        request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        page=_page_number(request.GET.get("page", "1")),
        preview=preview,
    )
    context = {
        "results": results,
        "words": bool(query_words(results.query)),
        "preview": preview,
        "has_sample": results.has_sample,
    }
    return answer_preview(render(request, "public/search.html", context), preview=preview)


@page_reads()
def open_data(request):
    return render(request, "public/open_data.html", {"endpoints": api_endpoints()})
