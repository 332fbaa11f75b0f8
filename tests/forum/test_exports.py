"""Exports: they follow the list's filters and never hand a spreadsheet a formula to run."""

import io

import openpyxl
import pytest

from delegates.models import Delegate
from tests.factories import AgreementFactory, DelegateFactory, EventFactory, RegionFactory
from tests.support.sheets import CSV_FORMAT, XLSX_FORMAT, import_sheet

pytestmark = pytest.mark.django_db


def export(client, path, file_format, resource="0"):
    response = client.post(path, {"format": file_format, "resource": resource})
    assert response.status_code == 200
    return response.content


def xlsx_rows(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]


def xlsx_types(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {cell.data_type for row in book.worksheets[0].iter_rows() for cell in row}


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formulas_are_neutralised_in_both_formats_and_read_back(editor_client, start):
    evil = f'{start}HYPERLINK("http://evil.example","x")'
    DelegateFactory(external_id="S-1", organisation=evil, phone="+375 17 000 00 00")

    csv_text = export(editor_client, "/admin/delegates/delegate/export/", CSV_FORMAT).decode(
        "utf-8-sig"
    )
    content = export(editor_client, "/admin/delegates/delegate/export/", XLSX_FORMAT)

    assert f";'{evil}" in csv_text.replace('"', "").replace("''", "'") or f"'{start}" in csv_text
    assert f"\n{start}" not in csv_text and f";{start}" not in csv_text
    assert "f" not in xlsx_types(content)  # no formula cell
    assert f"'{evil}" in xlsx_rows(content)[1]
    # And the import takes the apostrophe off again: nothing changes.
    import_sheet(editor_client, "/admin/delegates/delegate/import/", content)
    delegate = Delegate.objects.get()
    assert (delegate.organisation, delegate.phone) == (evil, "+375 17 000 00 00")


def test_delegate_export_follows_the_region_filter(editor_client):
    DelegateFactory(external_id="MINSK", region=RegionFactory(code="BY-MI"))
    DelegateFactory(external_id="MOSCOW", country="RU", region=RegionFactory(code="RU-MOW"))
    region = RegionFactory(code="BY-MI")

    content = export(
        editor_client,
        f"/admin/delegates/delegate/export/?region__id__exact={region.pk}",
        XLSX_FORMAT,
    )

    assert [row[0] for row in xlsx_rows(content)[1:]] == ["MINSK"]


def test_sign_in_sheet_per_event_lists_its_delegates_without_contacts(editor_client):
    event = EventFactory()
    other = EventFactory()
    DelegateFactory(last_name="Посторонний").assignments.create(event=other, role="speaker")
    DelegateFactory(last_name="Участников", email="private@example.org").assignments.create(
        event=event, role="speaker"
    )

    content = export(
        editor_client,
        f"/admin/delegates/delegate/export/?assignments__event__id__exact={event.pk}",
        XLSX_FORMAT,
        resource="1",
    )

    rows = xlsx_rows(content)
    assert len(rows) == 2 and rows[1][0].startswith("Участников")
    assert "private@example.org" not in str(rows)


def test_agreement_register_follows_the_forum_filter(editor_client):
    kept = AgreementFactory(registry_number="KEEP")
    AgreementFactory(registry_number="OTHER")

    content = export(
        editor_client,
        f"/admin/agreements/agreement/export/?forum__id__exact={kept.forum_id}",
        CSV_FORMAT,
    )

    text = content.decode("utf-8-sig")
    assert "KEEP" in text and "OTHER" not in text
    assert text.splitlines()[0].startswith("forum_year;registry_number;")
