"""The agreement register from a sheet, parties side by side; the signing rules hold."""

import datetime as dt

import pytest

from agreements.models import Agreement, Party
from tests.factories import ForumFactory
from tests.support.sheets import import_sheet, preview, problems, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/agreements/agreement/import/"
HEAD = [
    "forum_year",
    "registry_number",
    "kind",
    "title_ru",
    "status",
    "signed_on",
    "value",
    "currency",
    "party1_kind",
    "party1_name_ru",
    "party1_country",
    "party1_region",
    "party2_kind",
    "party2_name_ru",
    "party2_country",
    "party2_region",
]
PARTIES = [
    "regional_authority",
    "Минский облисполком",
    "BY",
    "BY-MI",
    "company",
    "ООО «Пример»",
    "RU",
    "RU-MOW",
]


@pytest.fixture(autouse=True)
def forum():
    return ForumFactory(year=2020, number=7)


def test_signed_agreement_lands_with_its_parties(editor_client):
    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [
                    2020,
                    "7/1",
                    "agreement",
                    "Соглашение",
                    "подписано",
                    "29.09.2020",
                    "1 500 000,50",
                    "RUB",
                    *PARTIES,
                ],
            ]
        ),
    )

    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.signed_on, str(agreement.value)) == (
        "signed",
        dt.date(2020, 9, 29),
        "1500000.50",
    )
    assert [(p.name, p.region.code) for p in agreement.parties.order_by("order")] == [
        ("Минский облисполком", "BY-MI"),
        ("ООО «Пример»", "RU-MOW"),
    ]


def test_signed_without_date_or_second_party_writes_nothing(editor_client):
    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [2020, "7/1", "agreement", "Без даты", "signed", "", "", "", *PARTIES],
                [
                    2020,
                    "7/2",
                    "agreement",
                    "Одна сторона",
                    "signed",
                    "29.09.2020",
                    "",
                    "",
                    *PARTIES[:4],
                    "",
                    "",
                    "",
                    "",
                ],
                [2020, "7/3", "agreement", "Сумма", "planned", "", "много", "", *PARTIES],
            ]
        ),
    )

    assert [p[:2] for p in problems(response)] == [(2, "signed_on"), (3, "status"), (4, "value")]
    assert not Agreement.objects.exists()
    assert not Party.objects.exists()


def test_sheet_without_party_columns_keeps_the_parties(editor_client):
    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [2020, "7/1", "agreement", "Соглашение", "signed", "29.09.2020", "", "", *PARTIES],
            ]
        ),
    )

    import_sheet(
        editor_client,
        URL,
        xlsx([HEAD[:6], [2020, "7/1", "agreement", "Соглашение (правка)", "signed", "29.09.2020"]]),
    )

    agreement = Agreement.objects.get()
    assert agreement.title_ru == "Соглашение (правка)"
    assert agreement.parties.count() == 2


def test_only_russian_party_columns_leave_the_other_names_and_region_alone(editor_client):
    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                [*HEAD, "party1_name_be", "party1_name_en"],
                [
                    2020, "7/1", "agreement", "Соглашение", "signed", "29.09.2020", "", "",
                    *PARTIES, "Мінскі аблвыканкам", "Minsk Regional Executive Committee",
                ],
            ]
        ),
    )  # fmt: skip

    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                ["forum_year", "registry_number", "kind", "title_ru", "status", "party1_name_ru",
                 "party2_name_ru"],
                [2020, "7/1", "agreement", "Соглашение", "signed", "Минский облисполком (правка)",
                 "ООО «Пример»"],
            ]
        ),
    )  # fmt: skip
    [row] = response.context["preview_rows"]["rows"]
    [(column, before, after)] = row["changes"]
    assert "Минский облисполком (правка)" in after and "Минский облисполком," in before
    from tests.support.sheets import confirm

    confirm(editor_client, response)

    first = Agreement.objects.get().parties.order_by("order").first()
    assert (first.name_ru, first.name_be, first.name_en, first.region.code, first.kind) == (
        "Минский облисполком (правка)",
        "Мінскі аблвыканкам",
        "Minsk Regional Executive Committee",
        "BY-MI",
        "regional_authority",
    )
