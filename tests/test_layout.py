"""The apps import downwards only (README, "What is in it"): read from every module's imports."""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Each app and the apps it may import; nothing else of the project.
ALLOWED = {
    "sheets": set(),
    "forum": {"sheets"},
    "events": {"forum", "sheets"},
    "documents": {"forum", "events", "sheets"},
    "delegates": {"forum", "events", "documents", "sheets"},
    "agreements": {"forum", "events", "documents", "sheets"},
    "secretariat": {"forum", "events", "documents", "delegates", "agreements", "sheets"},
    "public": {"forum", "events", "documents", "delegates", "agreements", "sheets"},
    "demo": {"forum", "events", "documents", "delegates", "agreements", "sheets"},
}
# The project package's wiring names any app: settings by string, urls and wsgi by import.
WIRING = {"forum/settings.py", "forum/urls.py", "forum/wsgi.py"}


def imported_modules(path: str, source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the source, relative ones resolved."""
    package = path.removesuffix(".py").split("/")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.append((node.lineno, module))
    return found


def forbidden_imports(path: str, source: str) -> list[str]:
    """What this module imports that the layout forbids, as "file:line imports name"."""
    app = path.split("/")[0]
    if app not in ALLOWED or path in WIRING:
        return []
    return [
        f"{path}:{line} imports {module}"
        for line, module in imported_modules(path, source)
        if module.split(".")[0] in ALLOWED and module.split(".")[0] not in ALLOWED[app] | {app}
    ]


def project_modules():
    for app in ALLOWED:
        for file in sorted((BASE / app).rglob("*.py")):
            yield file.relative_to(BASE).as_posix(), file.read_text(encoding="utf-8")


def test_every_app_imports_only_the_apps_below_it():
    problems = [
        problem for path, source in project_modules() for problem in forbidden_imports(path, source)
    ]

    assert problems == []


def test_every_app_is_in_the_layout():
    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS if (BASE / name).is_dir()}

    assert apps == set(ALLOWED)


def test_an_upward_import_is_named_with_its_file_and_line():
    source = "import json\nfrom events.models import Event\nfrom . import models\n"

    assert forbidden_imports("forum/models.py", source) == [
        "forum/models.py:2 imports events.models"
    ]
    assert forbidden_imports("events/admin.py", "from public import views") == [
        "events/admin.py:1 imports public"
    ]
    assert forbidden_imports("delegates/x.py", "from agreements.models import Party") == [
        "delegates/x.py:1 imports agreements.models"
    ]
    assert forbidden_imports("public/views.py", "from delegates import selectors") == []
    assert forbidden_imports("forum/urls.py", "from public.views import home") == []
    assert forbidden_imports("sheets/admin.py", "from .models import ImportRecord") == []
    assert forbidden_imports("sheets/admin.py", "from ..forum import models") == [
        "sheets/admin.py:1 imports forum"
    ]
