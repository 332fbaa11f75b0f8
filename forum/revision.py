"""What kept, rendered parts are made by besides the data: the apps' code, the templates and the
translations. A release that changes any of them makes new keys, so no server shows a part made
by the old code (a rolling restart: each release reads its own)."""

import hashlib
from pathlib import Path

from django.conf import settings


def _revision() -> str:
    root = Path(settings.BASE_DIR)
    files = [
        path
        for app in root.glob("*/apps.py")
        for path in app.parent.rglob("*.py")
        if "migrations" not in path.parts
    ]
    files += [*(root / "templates").rglob("*.html"), *(root / "locale").glob("*/*/django.po")]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


REVISION = _revision()
