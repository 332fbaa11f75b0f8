"""Our Belarusian catalogue of django-import-export's strings: complete, and used."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale_vendor" / "be" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_fully_translated():
    po = polib.pofile(str(CATALOGUE))

    assert len(po) > 30
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.django_db
def test_import_page_speaks_belarusian(editor_client):
    editor_client.post("/i18n/setlang/", {"language": "be", "next": "/admin/"})

    response = editor_client.get("/admin/delegates/delegate/import/")

    with translation.override("be"):
        assert translation.gettext("File to import") == "Файл для імпарту"
    assert "Файл для імпарту" in response.content.decode()
