"""A second, new database beside the test database, and manage.py run against it."""

import contextlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


@contextlib.contextmanager
def second_database(tmp_path):
    """The URL of a new, empty database on the same engine as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"test_restore_{secrets.token_hex(4)}"
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = server["user"] + (f":{server['password']}" if server["password"] else "")
        yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str, **environ: str) -> str:
    """manage.py with the development settings on another database, and ``environ`` (e.g.
    DJANGO_MEDIA_ROOT); none of this test run's own DJANGO_* or REDIS variables."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS"))
    }
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="forum.settings", **environ)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
