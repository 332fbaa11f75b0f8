import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement, Currency, Status
from agreements.services import agreement_check_parties
from forum.models import Country
from tests.factories import (
    AgreementFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def test_signed_agreement_with_a_date_is_valid():
    agreement = AgreementFactory.build(
        forum=ForumFactory(), status=Status.SIGNED, signed_on=dt.date(2024, 6, 28)
    )

    agreement.full_clean()


def test_signed_agreement_without_a_date_is_invalid():
    agreement = AgreementFactory.build(forum=ForumFactory(), status=Status.SIGNED)

    errors = errors_of(agreement)

    assert "signed_on" in errors


def test_database_refuses_signed_agreement_without_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(status=Status.SIGNED, signed_on=None)


def test_saved_signed_agreement_with_two_parties_is_valid():
    agreement = AgreementFactory(status=Status.SIGNED, signed_on=dt.date(2024, 6, 28))
    PartyFactory.create_batch(2, agreement=agreement)

    agreement_check_parties(agreement=agreement)


def test_saved_signed_agreement_with_one_party_is_refused():
    agreement = AgreementFactory(status=Status.SIGNED, signed_on=dt.date(2024, 6, 28))
    PartyFactory(agreement=agreement)

    with pytest.raises(ValidationError) as excinfo:
        agreement_check_parties(agreement=agreement)

    assert "status" in excinfo.value.message_dict


def test_new_signed_agreement_counts_the_parties_it_will_have():
    agreement = AgreementFactory.build(forum=ForumFactory(), status=Status.SIGNED)

    agreement_check_parties(agreement=agreement, parties=2)
    with pytest.raises(ValidationError):
        agreement_check_parties(agreement=agreement, parties=1)
    with pytest.raises(ValidationError):
        agreement_check_parties(agreement=agreement)


def test_planned_agreement_with_one_party_is_valid():
    agreement = AgreementFactory(status=Status.PLANNED)
    PartyFactory(agreement=agreement)

    agreement.full_clean()
    agreement_check_parties(agreement=agreement)


def test_value_with_its_currency_is_valid():
    agreement = AgreementFactory.build(
        forum=ForumFactory(), value=Decimal("1500000.00"), currency=Currency.RUB
    )

    agreement.full_clean()


def test_value_without_currency_is_invalid():
    agreement = AgreementFactory.build(forum=ForumFactory(), value=Decimal("1500000.00"))

    errors = errors_of(agreement)

    assert "currency" in errors


def test_database_refuses_value_without_currency():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(value=Decimal("1500000.00"), currency="")


def test_negative_value_is_invalid():
    agreement = AgreementFactory.build(
        forum=ForumFactory(), value=Decimal("-1.00"), currency=Currency.BYN
    )

    errors = errors_of(agreement)

    assert "__all__" in errors


def test_database_refuses_negative_value():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(value=Decimal("-1.00"), currency=Currency.BYN)


def test_registry_number_taken_in_another_forum_is_valid():
    first = AgreementFactory(registry_number="11-001")
    agreement = AgreementFactory.build(forum=ForumFactory(), registry_number=first.registry_number)

    agreement.full_clean()


def test_registry_number_taken_in_its_forum_is_invalid():
    first = AgreementFactory(registry_number="11-001")
    agreement = AgreementFactory.build(forum=first.forum, registry_number="11-001")

    errors = errors_of(agreement)

    assert "__all__" in errors


def test_database_refuses_registry_number_taken_in_its_forum():
    first = AgreementFactory(registry_number="11-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            forum=first.forum, registry_number="11-001", kind=first.kind, title="Ещё одно"
        )


def test_agreement_signed_at_an_event_of_its_forum_is_valid():
    event = EventFactory()
    agreement = AgreementFactory.build(forum=event.forum, event=event)

    agreement.full_clean()


def test_agreement_signed_at_an_event_of_another_forum_is_invalid():
    agreement = AgreementFactory.build(forum=ForumFactory(), event=EventFactory())

    errors = errors_of(agreement)

    assert "event" in errors


def test_party_in_a_region_of_its_country_is_valid():
    party = PartyFactory.build(
        agreement=AgreementFactory(), country=Country.BELARUS, region=RegionFactory(code="BY-VI")
    )

    party.full_clean()


def test_party_in_a_region_of_another_country_is_invalid():
    party = PartyFactory.build(
        agreement=AgreementFactory(), country=Country.BELARUS, region=RegionFactory(code="RU-SPE")
    )

    errors = errors_of(party)

    assert "region" in errors
