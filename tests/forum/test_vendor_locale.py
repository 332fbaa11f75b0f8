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


def test_belarusian_dates_use_the_official_spelling():
    import datetime as dt

    from django.utils.formats import date_format

    with translation.override("be"):
        assert date_format(dt.date(2020, 9, 28), "j E Y") == "28 верасня 2020"
        assert date_format(dt.date(2020, 12, 3), "j E Y") == "3 снежня 2020"
        assert date_format(dt.date(2021, 5, 1), "j E Y") == "1 мая 2021"
        assert date_format(dt.date(2020, 9, 1), "F Y") == "Верасень 2020"
        assert date_format(dt.date(2020, 10, 1), "l") == "Чацвер"


def test_belarusian_numbers_are_grouped_as_in_russian():
    from decimal import Decimal

    from django.template.defaultfilters import floatformat

    with translation.override("be"):
        assert floatformat(Decimal("3000000"), "2g") == "3\xa0000\xa0000,00"
