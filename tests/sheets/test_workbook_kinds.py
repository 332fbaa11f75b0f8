"""Excel 97–2003 (.xls) and OpenDocument (.ods) workbooks import like XLSX: the first visible
sheet, named in the preview with its hidden rows; their bombs are refused before loading."""

import pytest

from delegates.models import Delegate
from sheets.errors import ImportFileError
from sheets.formats import XLS
from tests.support.sheets import XLSX_FORMAT, import_sheet, ods, preview, xls

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/delegate/import/"
HEAD = ["external_id", "Фамилия", "Имя", "Страна", "Категория"]
ROWS = [["S-1", "Иванов", "Иван", "BY", "депутат"], ["S-2", "Петрова", "Мария", "RU", "эксперт"]]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_an_older_or_open_workbook_lands_whole(editor_client, kind):
    content = xls([HEAD, *ROWS], hidden_rows=(3,)) if kind == "xls" else ods([HEAD, *ROWS])

    response = preview(editor_client, URL, content, name=f"list.{kind}")

    assert response.context["sheet"]["name"] == "Делегаты"
    if kind == "xls":
        assert response.context["sheet"]["hidden_rows"] == "3"
    import_sheet(editor_client, URL, content, name=f"list.{kind}")
    assert sorted(Delegate.objects.values_list("last_name_ru", flat=True)) == ["Иванов", "Петрова"]


def test_the_first_visible_table_of_an_ods_is_read(editor_client):
    response = preview(
        editor_client, URL, ods([HEAD, *ROWS], hidden_first_table=True), name="l.ods"
    )

    assert response.context["sheet"]["name"] == "Делегаты"
    assert response.context.get("confirm_form")


def test_an_xls_chosen_as_xlsx_is_read_all_the_same(editor_client):
    import_sheet(editor_client, URL, xls([HEAD, *ROWS]), name="list.xls", file_format=XLSX_FORMAT)

    assert Delegate.objects.count() == 2


def test_an_xls_with_two_cells_far_apart_is_refused_before_it_is_loaded():
    # python-calamine would build every sheet as a rectangle of 16 million cells on opening.
    content = xls([["x"]] + [[]] * 65534 + [[None] * 255 + ["y"]])

    with pytest.raises(ImportFileError, match="DJANGO_IMPORT_MAX_CELLS"):
        XLS().read(content)
