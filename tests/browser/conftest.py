"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Skipped, with the reason, where Chromium or Playwright is missing; CI installs both.
Screenshots go to var/test-artefacts/ (kept by CI as test artefacts).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"

# Playwright's sync API runs an event loop; Django must still let the test use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(reason: str):
    # In CI (CI=true) the browser tests must run: a missing browser fails there.
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections

    # Django keeps connections in context-local storage, and Playwright's sync API runs the
    # test in a context of its own: the connection a test sees there is a new object without
    # the serialized contents that `serialized_rollback` restores (regions, staff groups).
    # Hand them over, so a browser test restores them whatever ran before it.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at desktop width; `page.goto(live_server.url + …)`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh browser context at phone width (360 px)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ru-RU", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves var/test-artefacts/<test>-<name>.png."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTEFACTS / f"{request.node.name}-{name}.png".replace("/", "_")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
