"""What search engines read: the sitemap (every public page in three languages, with hreflang
alternates) and robots.txt (README: "Found by search engines")."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse

from events.models import Event
from forum.models import Forum, Region


class _Pages(Sitemap):
    i18n = True
    alternates = True
    # No x-default: Django would give the address without a language, which only "/" answers.


class SitePages(_Pages):
    """The pages of no single forum."""

    def items(self):
        return ["home", "statistics", "regions", "open-data"]

    def location(self, item):
        return reverse(item)


class ForumPages(_Pages):
    def items(self):
        forums = Forum.objects.published().order_by("year").values_list("year", flat=True)
        return [
            (name, year)
            for year in forums
            for name in ("forum-overview", "programme", "agreements")
        ]

    def location(self, item):
        name, year = item
        return reverse(name, kwargs={"year": year})


class EventPages(_Pages):
    def items(self):
        return Event.objects.published().select_related("forum").order_by("forum__year", "pk")

    def location(self, event):
        return reverse("event", kwargs={"year": event.forum.year, "slug": event.slug})

    def lastmod(self, event):
        return event.updated_at


class RegionPages(_Pages):
    def items(self):
        return Region.objects.order_by("code").values_list("code", flat=True)

    def location(self, code):
        return reverse("region", kwargs={"code": code})


SITEMAPS = {"site": SitePages, "forums": ForumPages, "events": EventPages, "regions": RegionPages}


def robots_txt(request):
    """Crawlers may read every public page; not the admin, the personal pages or the schema."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/me/",
        "Disallow: /*/accounts/",
        "Disallow: /api/v1/schema/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
