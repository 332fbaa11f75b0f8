"""Every message a person reads is in the Russian, Belarusian and English catalogues."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ("ru", "be", "en")
BASE = Path(settings.BASE_DIR)
# What makemessages reads: the project's own code and templates, not tests or tools.
IGNORED = ["tests", "bench", "scripts", "locale_vendor", "node_modules", "var", ".venv"]


def catalogue(base: Path, language: str) -> polib.POFile:
    return polib.pofile(str(base / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    po = catalogue(BASE, language)

    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The catalogues makemessages makes from the code as it is, in a copy of the project."""
    if not shutil.which("xgettext"):
        pytest.skip("gettext is missing (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=BASE, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for name in files:
        if (BASE / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(BASE / name, copy / name)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
    command += [f"--locale={language}" for language in LANGUAGES]
    command += [f"--ignore={folder}" for folder in IGNORED]
    subprocess.run(command, cwd=copy, check=True, env={"PATH": "/usr/bin:/bin"})
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_message_of_the_code(extracted, language):
    ours = {(entry.msgctxt, entry.msgid) for entry in catalogue(BASE, language)}
    needed = {(entry.msgctxt, entry.msgid) for entry in catalogue(extracted, language)}

    assert sorted(needed - ours, key=str) == []
