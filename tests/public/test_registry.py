import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from agreements.models import AgreementKind, Status
from sheets.formulas import neutralise
from tests.factories import AgreementFactory, PartyFactory, RegionFactory
from tests.public.conftest import make_forum


def rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def registry(db):
    forum, _events = make_forum(events=1, agreements=0)
    grodno, smolensk = RegionFactory(code="BY-HR"), RegionFactory(code="RU-SMO", name="Smolensk")
    signed = AgreementFactory(
        forum=forum,
        registry_number="A-1",
        title_en="Signed contract",
        kind=AgreementKind.CONTRACT,
        status=Status.SIGNED,
        signed_on=dt.date(2020, 9, 29),
        value=Decimal("1500000.00"),
        currency="USD",
    )
    PartyFactory(agreement=signed, country="BY", region=grodno, name_en="Grodno side")
    PartyFactory(agreement=signed, country="RU", region=smolensk, name_en="Smolensk side")
    planned = AgreementFactory(
        forum=forum,
        registry_number="A-2",
        title_en="Planned memorandum",
        kind=AgreementKind.MEMORANDUM,
        status=Status.PLANNED,
        value=Decimal("250.50"),
        currency="BYN",
    )
    PartyFactory(agreement=planned, country="BY", region=grodno, name_en="Grodno again")
    return forum


def test_registry_counts_signed_planned_and_expected(client, registry):
    body = client.get(f"/en/{registry.year}/agreements/").content.decode()

    assert "<dt>Signed</dt><dd>1</dd>" in body
    assert "<dt>Planned</dt><dd>1</dd>" in body
    assert "<dt>Expected before the forum</dt><dd>18</dd>" in body
    assert "1,500,000.00</data> USD" in body and "250.50</data> BYN" in body


def test_registry_filters_by_kind_status_country_and_region(client, registry):
    url = f"/en/{registry.year}/agreements/"

    def shown(query):
        body = client.get(url + query).content.decode()
        return [title for title in ("Signed contract", "Planned memorandum") if title in body]

    assert shown("") == ["Signed contract", "Planned memorandum"]
    assert shown("?kind=memorandum") == ["Planned memorandum"]
    assert shown("?status=signed") == ["Signed contract"]
    assert shown("?country=RU") == ["Signed contract"]
    assert shown("?region=RU-SMO") == ["Signed contract"]
    assert shown("?region=BY-HR&status=planned") == ["Planned memorandum"]


def test_registry_totals_follow_the_filters(client, registry):
    body = client.get(f"/en/{registry.year}/agreements/?status=planned").content.decode()

    assert "250.50</data> BYN" in body
    assert "USD" not in body.split("Total value", 1)[1].split("</ul>", 1)[0]


def test_registry_region_filter_offers_only_regions_of_parties(client, registry):
    body = client.get(f"/en/{registry.year}/agreements/").content.decode()

    assert '<option value="RU-SMO">' in body and '<option value="BY-HR">' in body
    assert '<option value="BY-MI">' not in body


@pytest.mark.parametrize(
    "query",
    [
        "?kind=nonsense",
        "?status=%27%20OR%201=1",
        "?country=ZZ",
        "?region=RU-XXX",
        "?region=" + "x" * 5000,
        "?kind=contract&kind=",
        "?format=pdf",
        "?page=-1&kind[]=1",
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(client, registry, query):
    response = client.get(f"/en/{registry.year}/agreements/{query}")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Signed contract" in body or "kind=contract" in query
    if any(bad in query for bad in ("nonsense", "OR", "ZZ", "XXX", "xxxx")):
        assert "not understood" in body


def test_csv_holds_exactly_what_the_filters_show(client, registry):
    everything = rows(client.get(f"/en/{registry.year}/agreements/?format=csv"))
    planned = rows(client.get(f"/en/{registry.year}/agreements/?status=planned&format=csv"))

    assert [row[0] for row in everything[1:]] == ["A-1", "A-2"]
    assert [row[0] for row in planned[1:]] == ["A-2"]
    header, first = everything[0], everything[1]
    assert header[:3] == ["registry number", "kind", "title"]
    assert first[2] == "Signed contract"
    assert "Grodno side (Belarus, Grodno Region)" in first[9] and "Smolensk side" in first[9]


def test_csv_cells_never_start_a_formula(client, registry):
    AgreementFactory(
        forum=registry,
        registry_number="=1+1",
        title_en='=HYPERLINK("http://evil.example","click")',
        subject_en="@SUM(A1)",
        kind=AgreementKind.OTHER,
    )

    data = rows(client.get(f"/en/{registry.year}/agreements/?format=csv"))

    for row in data[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert data[1][:3] == ["'=1+1", "other", '\'=HYPERLINK("http://evil.example","click")']


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=A1", "'=A1"), ("+7 000", "'+7 000"), ("-3", "'-3"), ("@x", "'@x"), ("plain", "plain")],
)
def test_neutralise_prefixes_formula_starts(value, expected):
    assert neutralise(value) == expected
