import pytest

from tests.factories import DayFactory, EventFactory, ForumFactory


@pytest.fixture
def event():
    """One published event of a published forum, its title known to the cache tests."""
    return EventFactory(day=DayFactory(forum=ForumFactory()), title_ru="Секция до правки")
