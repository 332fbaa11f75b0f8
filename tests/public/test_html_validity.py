import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

from tests.public.pages import VNU, missing_tool, public_paths, vnu_messages


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path):
    java = shutil.which("java")
    if not java:
        missing_tool("Java is not installed (the Nu HTML Checker needs it)")
    if not VNU.exists():
        missing_tool(f"{VNU} is missing: run `make install` (npm ci)")
    call_command("load_demo")
    files, paths = {}, []
    for index, path in enumerate(public_paths()):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        file = tmp_path / f"page-{index:03d}.html"
        file.write_bytes(response.content)
        files[file.as_uri()] = path
        paths.append(file)

    messages, result = vnu_messages(java, paths)
    errors = [
        f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
    assert errors == []
    assert len(files) == 57
    assert result.returncode == 0, result.stderr


def test_the_html_check_finds_errors(tmp_path):
    """The checker, run as above, does report a broken page (so a clean run means something)."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        missing_tool("Java or vnu.jar is missing (run `make install`)")
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div></span>')

    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert json.loads(result.stderr or result.stdout)["messages"]


@pytest.mark.django_db
def test_no_template_syntax_shows_on_a_public_page(client):
    # A multi-line {# comment #} is not a comment in Django: it is printed as text.
    call_command("load_demo")
    leaked = {}
    for path in public_paths():
        text = client.get(path).content.decode()
        found = [marker for marker in ("{#", "#}", "{%", "%}", "{{", "}}") if marker in text]
        if found:
            leaked[path] = found

    assert leaked == {}
