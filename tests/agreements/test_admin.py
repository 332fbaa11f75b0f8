import pytest
from django.urls import reverse

from agreements.models import Agreement
from tests.factories import ForumFactory

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
