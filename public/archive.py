"""A static copy of one forum's public pages (README: "Permanent archive"), for `export_site`.

The pages are the public site's own, asked for in this process as an anonymous reader asks (no
cache is read or written meanwhile); what they link within the forum is fetched in turn, and
every link is then made relative, so that the copy opens from disk or from any static server."""

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client, override_settings
from django.utils import timezone, translation
from icalendar.parser import Contentline

from public.context_processors import ARCHIVE_ENVIRON

# The host the pages are asked for under: reserved (RFC 2606), so no live address can be it,
# and every absolute link to it is made relative.
HOST = "archive.invalid"
ORIGIN = f"http://{HOST}"
LINK = re.compile(r'\b(href|src|action)="([^"]*)"')
ABSOLUTE = re.compile(re.escape(ORIGIN) + r"(/[^\s\"'<>\\]*)?")
TEXT_TYPES = ("text/html", "text/calendar", "application/json", "text/csv", "text/css")
EXTENSIONS = {"text/html": "html", "text/csv": "csv", "application/json": "json"}


@dataclass
class Page:
    url: str  # path and query, as the site answers it
    content_type: str
    body: bytes
    file: PurePosixPath = field(init=False)

    def __post_init__(self):
        self.file = file_for(self.url, self.content_type)


def file_for(url: str, content_type: str) -> PurePosixPath:
    """Where an address goes in the copy: a folder's page is its index.html; a query (the
    registry's CSV) makes a name of its own beside it."""
    parts = urlsplit(url)
    path = parts.path.lstrip("/")
    query = re.sub(r"[^A-Za-z0-9]+", "-", parts.query).strip("-")
    if not path or path.endswith("/"):
        extension = EXTENSIONS.get(content_type.split(";")[0], "html")
        return PurePosixPath(path + "index" + (f"-{query}" if query else "") + f".{extension}")
    if query:
        stem, dot, extension = path.rpartition(".")
        return PurePosixPath(f"{stem}-{query}{dot}{extension}")
    return PurePosixPath(path)


class SiteExport:
    """The copy of the forum of ``year`` in every language, written under ``output``."""

    def __init__(self, *, forum, output: Path, exported_at=None):
        self.forum = forum
        self.output = output
        self.exported_at = exported_at or timezone.now()
        self.languages = [code for code, _name in settings.LANGUAGES]
        self.pages: dict[str, Page] = {}
        self.client = Client(HTTP_HOST=HOST)

    # --- what belongs to the copy ----------------------------------------------------------------

    def in_copy(self, path: str) -> bool:
        """The forum's pages in each language (not the now page: it belongs to the forum's
        days), its documents' files, and the static files they use."""
        year = f"/{self.forum.year}/"
        static_files = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith((static_files, f"/documents{year}")):
            return True
        pages = tuple(f"/{language}{year}" for language in self.languages)
        return path.startswith(pages) and not path.startswith(
            tuple(prefix + "now/" for prefix in pages)
        )

    def seeds(self) -> list[str]:
        return [f"/{language}/{self.forum.year}/" for language in self.languages]

    # --- fetching ---------------------------------------------------------------------------------

    def fetch(self, url: str) -> Page:
        extra = {ARCHIVE_ENVIRON: {"exported_at": self.exported_at}}
        response = self.client.get(url, **extra)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Page(url=url, content_type=response.get("Content-Type", ""), body=body)

    def links(self, page: Page) -> list[str]:
        """The addresses within the site that an HTML page links, resolved and without their
        fragments."""
        if not page.content_type.startswith("text/html"):
            return []
        found = []
        for _attribute, value in LINK.findall(page.body.decode()):
            target = urlsplit(urljoin(ORIGIN + page.url, value.replace("&amp;", "&")))
            if target.netloc == HOST:
                found.append(target.path + (f"?{target.query}" if target.query else ""))
        return found

    def crawl(self) -> None:
        queue = self.seeds()
        while queue:
            url = queue.pop(0)
            if url in self.pages or not self.in_copy(urlsplit(url).path):
                continue
            page = self.pages[url] = self.fetch(url)
            queue.extend(self.links(page))
            if not page.content_type.startswith(TEXT_TYPES):
                # A document's or an image's bytes go to disk at once, not kept in memory.
                self.write_page(page)
                page.body = b""

    # --- writing ----------------------------------------------------------------------------------

    def relative(self, page: Page, value: str) -> str | None:
        """A link of ``page`` as a path relative to its file; None for a link within the site
        that the copy does not hold (it is unlinked); unchanged for one elsewhere."""
        target = urlsplit(urljoin(ORIGIN + page.url, value.replace("&amp;", "&")))
        if target.netloc != HOST:
            return value
        url = target.path + (f"?{target.query}" if target.query else "")
        if url == "/":
            return posixpath.relpath("index.html", str(page.file.parent))
        if url in (f"/{language}/" for language in self.languages):
            url = f"{url}{self.forum.year}/"  # the site's home: the forum's overview here
        found = self.pages.get(url)
        if found is None:
            return None if target.path != urlsplit(page.url).path else f"#{target.fragment}"
        path = posixpath.relpath(str(found.file), str(page.file.parent))
        return path + (f"#{target.fragment}" if target.fragment else "")

    def rewritten_html(self, page: Page) -> str:
        def link(match):
            attribute, value = match.groups()
            if not value or value.startswith("#"):
                return match.group(0)
            relative = self.relative(page, value)
            return "" if relative is None else f'{attribute}="{relative}"'

        text = LINK.sub(link, page.body.decode())
        return self.rewritten_text(page, text)

    def rewritten_text(self, page: Page, text: str) -> str:
        """Absolute addresses of the site anywhere in the text (feeds, meta tags) made relative."""
        return ABSOLUTE.sub(lambda match: self.relative(page, match.group(0)) or "", text)

    def rewritten_calendar(self, page: Page) -> str:
        # Lines are folded at 75 octets (RFC 5545): unfold, rewrite, fold again.
        lines = page.body.decode().replace("\r\n ", "").split("\r\n")
        return "\r\n".join(
            Contentline(self.rewritten_text(page, line)).to_ical().decode()
            for line in lines
            if line
        )

    def content(self, page: Page) -> bytes:
        kind = page.content_type.split(";")[0]
        if kind == "text/html":
            return self.rewritten_html(page).encode()
        if kind == "text/calendar":
            return (self.rewritten_calendar(page) + "\r\n").encode()
        if kind in TEXT_TYPES:
            return self.rewritten_text(page, page.body.decode("utf-8")).encode("utf-8")
        return page.body

    def index(self) -> bytes:
        """The copy's front page: the forum in each language."""
        stylesheet = self.pages.get(static("css/site.css"))
        context = {
            "forum": self.forum,
            "archive": {"exported_at": self.exported_at},
            "stylesheet": str(stylesheet.file) if stylesheet else "",
            "editions": [(code, f"{code}/{self.forum.year}/index.html") for code in self.languages],
        }
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string("public/archive_index.html", context).encode()

    def write_page(self, page: Page) -> None:
        target = self.output / page.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.content(page))

    def write(self) -> int:
        for page in self.pages.values():
            if page.content_type.startswith(TEXT_TYPES):
                self.write_page(page)
        (self.output / "index.html").write_bytes(self.index())
        return len(self.pages) + 1

    def run(self) -> int:
        """Fetch and write the copy; how many files it holds."""
        # Nothing read from or kept in a cache: the pages carry the archive's banner.
        with override_settings(
            ALLOWED_HOSTS=[HOST],
            CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            PROGRAMME_VERSION_CACHE_SECONDS=0,
        ):
            self.crawl()
        return self.write()
