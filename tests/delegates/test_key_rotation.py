"""Rotating the secret key with DJANGO_SECRET_KEY_FALLBACKS keeps issued links working."""

import pytest
from django.test import override_settings

from delegates.services import DelegateLinkInvalid, delegate_link_issue, delegate_link_verify
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db
OLD_KEY = "old-key-" + "x" * 50
NEW_KEY = "new-key-" + "y" * 50


def test_a_link_signed_with_the_previous_key_opens_while_that_key_is_a_fallback():
    delegate = DelegateFactory()
    with override_settings(SECRET_KEY=OLD_KEY):
        token = delegate_link_issue(delegate=delegate)

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert delegate_link_verify(token=token) == delegate


def test_a_link_signed_with_a_dropped_key_no_longer_opens():
    delegate = DelegateFactory()
    with override_settings(SECRET_KEY=OLD_KEY):
        token = delegate_link_issue(delegate=delegate)

    with (
        override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(DelegateLinkInvalid),
    ):
        delegate_link_verify(token=token)
