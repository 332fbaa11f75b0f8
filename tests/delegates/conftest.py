import pytest

from delegates.services import delegate_link_issue


@pytest.fixture
def link_path():
    """link_path(delegate) issues a new personal link and returns its path in Russian."""
    from django.urls import reverse

    def issue(delegate, language="ru"):
        from django.utils import translation

        token = delegate_link_issue(delegate=delegate)
        with translation.override(language):
            return reverse("delegate-link", kwargs={"token": token})

    return issue
