import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, Party, Status
from tests.factories import AgreementFactory, ForumFactory, PartyFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:agreements_agreement_add")


def agreement_form_data(forum, party_names):
    data = {
        "forum": str(forum.pk),
        "registry_number": "11-001",
        "kind": "agreement",
        "title_ru": "Соглашение о сотрудничестве",
        "status": "signed",
        "signed_on": "2024-06-28",
        "is_public": "on",
        "parties-TOTAL_FORMS": str(len(party_names)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for i, name in enumerate(party_names):
        data.update(
            {
                f"parties-{i}-order": str(i),
                f"parties-{i}-kind": "regional_authority",
                f"parties-{i}-name_ru": name,
                f"parties-{i}-country": "BY",
            }
        )
    return data


def test_admin_refuses_signed_agreement_with_one_party(editor_client):
    forum = ForumFactory()

    response = editor_client.post(
        ADD_URL,
        agreement_form_data(forum, ["Минский облисполком"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "A signed agreement has at least two parties." in response.content.decode()
    assert not Agreement.objects.exists()


def test_admin_adds_signed_agreement_with_two_parties(editor_client):
    forum = ForumFactory()

    response = editor_client.post(
        ADD_URL, agreement_form_data(forum, ["Минский облисполком", "Правительство Москвы"])
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.forum == forum
    assert agreement.parties.count() == 2


def test_admin_refuses_deleting_a_party_of_a_signed_agreement_with_two(editor_client):
    forum = ForumFactory()
    editor_client.post(ADD_URL, agreement_form_data(forum, ["Минский облисполком", "Москва"]))
    agreement = Agreement.objects.get()
    first, second = agreement.parties.all()
    data = agreement_form_data(forum, ["Минский облисполком", "Москва"])
    data.update(
        {
            "parties-INITIAL_FORMS": "2",
            "parties-0-id": str(first.pk),
            "parties-0-agreement": str(agreement.pk),
            "parties-1-id": str(second.pk),
            "parties-1-agreement": str(agreement.pk),
            "parties-1-DELETE": "on",
        }
    )

    response = editor_client.post(
        reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        data,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "A signed agreement has at least two parties." in response.content.decode()
    assert agreement.parties.count() == 2


def signed_with_two_parties():
    agreement = AgreementFactory(
        registry_number="S-1", status=Status.SIGNED, signed_on=dt.date(2024, 6, 28)
    )
    return agreement, PartyFactory.create_batch(2, agreement=agreement)


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    return client


def test_party_admin_refuses_to_delete_a_signed_agreements_second_party(editor_client):
    agreement, (first, _second) = signed_with_two_parties()
    url = reverse("admin:agreements_party_delete", args=[first.pk])

    response = english(editor_client).post(url, {"post": "yes"}, follow=True)

    assert agreement.parties.count() == 2
    assert "is signed and would be left with 1 party" in response.content.decode()


def test_party_admin_bulk_delete_refuses_and_deletes_nothing(editor_client):
    agreement, parties = signed_with_two_parties()
    planned = PartyFactory(agreement=AgreementFactory(status=Status.PLANNED))
    url = reverse("admin:agreements_party_changelist")
    selected = [str(party.pk) for party in (*parties, planned)]

    response = english(editor_client).post(
        url, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}, follow=True
    )

    assert Party.objects.count() == 3
    assert "S-1" in response.content.decode()


def test_party_admin_deletes_a_party_the_rule_does_not_need(editor_client):
    agreement, parties = signed_with_two_parties()
    third = PartyFactory(agreement=agreement)
    url = reverse("admin:agreements_party_delete", args=[third.pk])

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert agreement.parties.count() == 2


def test_party_admin_refuses_to_move_a_signed_agreements_second_party(editor_client):
    agreement, (first, _second) = signed_with_two_parties()
    other = AgreementFactory(forum=agreement.forum, status=Status.PLANNED)
    url = reverse("admin:agreements_party_change", args=[first.pk])

    response = english(editor_client).post(
        url,
        {"agreement": other.pk, "order": 0, "kind": first.kind, "name_ru": first.name_ru,
         "country": first.country},
    )  # fmt: skip

    assert response.status_code == 200
    assert "is signed and would be left with 1 party" in response.content.decode()
    first.refresh_from_db()
    assert first.agreement == agreement
