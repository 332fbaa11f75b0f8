"""/healthz: what a load balancer asks before sending readers to an app server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.support.faults import caches

ROOT = Path(__file__).resolve().parent.parent.parent
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_does_no_session_csrf_or_language_work(
    client, django_user_model, django_assert_num_queries
):
    client.force_login(django_user_model.objects.create_user("someone"))

    # One query: SELECT 1. Reading the session or the user would be more.
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies
    assert "Vary" not in response
    assert "Content-Language" not in response


def test_healthz_has_no_language_prefix(client):
    assert client.get("/ru/healthz").status_code == 404


@override_settings(CACHES=caches(UNREACHABLE_REDIS))
def test_healthz_answers_503_naming_the_cache_when_it_is_down(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["cache"]}
    assert b"127.0.0.1" not in response.content


def test_healthz_answers_503_naming_both_when_database_and_cache_are_down():
    """In a process of its own: this one's database connection must stay up."""
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DATABASE_URL="postgres://nobody:secret-password@127.0.0.1:1/forum",
        REDIS_URL=UNREACHABLE_REDIS,
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )

    status, body = done.stdout.strip().splitlines()
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "failing": ["database", "cache"]}
    assert "secret-password" not in body and "127.0.0.1" not in body
