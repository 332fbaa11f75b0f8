"""Every public page of the demo in every language: what the validity and axe checks read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

LANGUAGES = ("ru", "be", "en")

# Paths after the language prefix; the demo's Seventh Forum (2020) and an archive edition.
PAGES = (
    "",
    "2020/",
    "2014/",
    "2020/programme/",
    "2020/events/plenary-session/",
    "2020/events/section-1/",
    "2020/events/youth-forum/",
    "2020/agreements/",
    "2020/agreements/?status=signed&country=BY",
    "2020/agreements/?kind=nonsense",
    "2020/now/",  # after the forum: the line that it is over
    "2099/",  # the 404 page
    "statistics/",
    "regions/",
    "regions/BY-VI/",
    "search/?q=%D1%81%D0%BE%D0%B3%D0%BB%D0%B0%D1%88%D0%B5%D0%BD%D0%B8%D0%B5",  # соглашение
    "search/?q=%D1%81%D0%BE%D0%B3%D0%BB&kind=agreements",
    "search/?q=%21%21%21",  # only punctuation
    "open-data/",
)


def public_paths() -> list[str]:
    return [f"/{lang}/{page}" for lang in LANGUAGES for page in PAGES]


def missing_tool(reason: str):
    """Skip where a tool is missing on a developer's machine; fail in CI (CI=true)."""
    import os

    import pytest

    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_messages(java: str, files: list[Path]) -> tuple[list[dict], object]:
    """The Nu HTML Checker's errors for these files, in one JVM (starting Java per file would
    take minutes), and the finished process."""
    import json
    import subprocess

    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [m for m in messages if m.get("type") in {"error", "non-document-error"}], result
