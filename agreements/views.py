from django.http import HttpResponse
from django.shortcuts import render

from agreements.exports import registry_csv
from agreements.forms import RegistryFilterForm
from agreements.selectors import (
    registry_agreements,
    registry_counts,
    registry_regions,
    registry_totals,
)
from forum.public import answer_preview, reader_previews
from forum.selectors import forum_for_reader


def registry(request, year):
    """The forum's agreement registry; `?format=csv` downloads what the filters show."""
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    form = RegistryFilterForm(request.GET or None, regions=registry_regions(forum=forum))
    agreements = registry_agreements(forum=forum, **form.filters())
    if request.GET.get("format") == "csv":
        response = HttpResponse(registry_csv(agreements), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agreements-{forum.year}.csv"'
        return answer_preview(response, preview=preview)
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    context = {
        "forum": forum,
        "preview": preview,
        "form": form,
        "agreements": agreements,
        "counts": registry_counts(forum=forum),
        "totals": registry_totals(agreements),
        "csv_query": csv_query.urlencode(),
    }
    context["has_sample"] = any(agreement.is_sample for agreement in agreements)
    return answer_preview(render(request, "agreements/registry.html", context), preview=preview)
