"""export_site: the demo's 2020 forum exported, then browsed from disk by a crawler of its own.

The crawler here shares no code with the exporter: it reads every href and src with the standard
library's HTML parser, resolves each against the file it is in, as a browser opening the file
from disk does, and opens what it finds."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from django.core.management import CommandError, call_command

from documents.models import Access, Document
from events.models import Event
from forum.models import Forum
from tests.factories import DocumentFactory, DocumentFileFactory, EventFactory

pytestmark = pytest.mark.django_db
EXPORTED_AT = dt.datetime(2031, 3, 1, 12, 0, tzinfo=dt.UTC)
PARTICIPANTS_ONLY = "Draft resolution for the delegates only"
DRAFT_EVENT = "A closed meeting not yet published"


class Links(HTMLParser):
    """Every href and src of a page, and every id it has (for #fragments)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parsed(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def crawl(root: Path) -> tuple[set[Path], list[str]]:
    """Every file reachable from the copy's index.html, and every link that leads nowhere."""
    seen, broken, queue = set(), [], [root / "index.html"]
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        if page.suffix != ".html":
            continue
        for link in parsed(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # a source elsewhere (an official site): not the copy's to hold
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if root.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(root)}: {link}")
                continue
            anchored = parts.fragment and target.suffix == ".html"
            if anchored and parts.fragment not in parsed(target).ids:
                broken.append(f"{page.relative_to(root)}: {link} (no such id)")
            queue.append(target)
    return seen, broken


@pytest.fixture
def exported(tmp_path):
    """The demo with a public document, a participants' one and an unpublished event, exported."""
    call_command("load_demo", verbosity=0)
    forum = Forum.objects.get(year=2020)
    plenary = forum.events.get(slug="plenary-session")
    public = DocumentFactory(
        event=plenary, kind="resolution", title_ru="Резолюция VII Форума", title_en="Resolution"
    )
    DocumentFileFactory(document=public, language="ru")
    DocumentFileFactory(document=public, language="en")
    secret = DocumentFactory(
        event=plenary,
        access=Access.PARTICIPANTS,
        title=PARTICIPANTS_ONLY,
        title_en=PARTICIPANTS_ONLY,
    )
    DocumentFileFactory(document=secret)
    EventFactory(
        day=plenary.day,
        kind="other",
        number=None,
        slug="closed-meeting",
        title=DRAFT_EVENT,
        title_en=DRAFT_EVENT,
        is_published=False,
    )
    output = tmp_path / "archive-2020"
    with time_machine.travel(EXPORTED_AT, tick=True):
        call_command("export_site", year=2020, output=str(output), verbosity=0)
    return output, forum, public


def test_every_link_and_asset_of_the_copy_resolves_on_disk(exported):
    output, forum, public = exported

    reached, broken = crawl(output)

    assert broken == []
    names = {path.relative_to(output.resolve()).as_posix() for path in reached}
    for language in ("ru", "be", "en"):
        assert f"{language}/2020/index.html" in names
        assert f"{language}/2020/programme/index.html" in names
        assert f"{language}/2020/agreements/index.html" in names
        assert f"{language}/2020/programme.ics" in names
        assert f"{language}/2020/schedule.json" in names
        for event in Event.objects.published().filter(forum=forum):
            assert f"{language}/2020/events/{event.slug}/index.html" in names
            assert f"{language}/2020/events/{event.slug}.ics" in names
    assert f"documents/2020/{public.pk}-ru.pdf" in names
    assert f"documents/2020/{public.pk}-en.pdf" in names
    assert any(name.startswith("static/") and name.endswith(".css") for name in names)
    assert not any("/now/" in name for name in names)


def test_the_copy_holds_no_address_of_the_live_site(exported, settings):
    output, _forum, _public = exported
    live_hosts = [
        "testserver",
        "archive.invalid",
        "localhost",
        "127.0.0.1",
        *settings.ALLOWED_HOSTS,
    ]

    for path in output.rglob("*"):
        if path.suffix not in (".html", ".ics", ".json", ".csv", ".css"):
            continue
        text = path.read_text(encoding="utf-8-sig")
        for host in live_hosts:
            assert f"//{host}" not in text, (path, host)
        # No address from the site's root, which from disk would be the disk's root.
        assert not re.search(r'(?:href|src|action)="/', text), path


def test_the_copy_holds_no_private_value(exported):
    output, _forum, _public = exported
    secrets = [
        "@example.org",  # the sample delegates' e-mails
        "+375 00 000",
        "+7 000 000",
        "vks.example.org",  # the private video-conference link
        PARTICIPANTS_ONLY,
        DRAFT_EVENT,
        "/me/",
    ]

    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, (path, secret)
    assert not list(output.rglob(f"*{Document.objects.get(title=PARTICIPANTS_ONLY).pk}-ru.*"))


def test_every_page_says_when_it_was_exported(exported):
    output, _forum, _public = exported

    pages = list(output.rglob("*.html"))

    assert len(pages) > 30
    for page in pages:
        banner = re.search(r'class="notice notice-archive">([^<]*)<', page.read_text())
        assert banner, page
        assert "2031" in banner.group(1), page
    assert "1 марта 2031" in (output / "ru" / "2020" / "index.html").read_text()
    assert "1 March 2031" in (output / "en" / "2020" / "index.html").read_text()


def test_the_registry_copy_has_its_list_and_csv_but_no_filter_form(exported):
    output, _forum, _public = exported

    registry = (output / "ru" / "2020" / "agreements" / "index.html").read_text()

    assert "<form" not in registry
    assert 'href="index-format-csv.csv"' in registry
    assert (
        (output / "ru" / "2020" / "agreements" / "index-format-csv.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf")
    )


def test_a_draft_forum_or_a_folder_in_use_is_refused(tmp_path):
    call_command("load_demo", verbosity=0)
    Forum.objects.filter(year=2020).update(is_published=False)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x")

    with pytest.raises(CommandError, match="No published forum"):
        call_command("export_site", year=2020, output=str(tmp_path / "new"))
    Forum.objects.filter(year=2020).update(is_published=True)
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_site", year=2020, output=str(tmp_path / "used"))
