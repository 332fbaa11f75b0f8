import os

import pytest
from django.db import connection
from django.test import override_settings

from tests.support.servers import SHARED_CACHE, redis_problem


@pytest.fixture
def shared_stack():
    """Skip outside CI where PostgreSQL or Redis is missing; in CI they must be there."""
    problem = ""
    if connection.vendor != "postgresql":
        problem = "two app servers share PostgreSQL: run with DATABASE_URL=postgres://…"
    else:
        problem = redis_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    with override_settings(CACHES=SHARED_CACHE):
        yield
