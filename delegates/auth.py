"""Signed-in users read with their delegate in one query (``SESSION_BACKEND``): a delegate's page
wants both on every request (README, "Delegates' access").

The query is the one ``select_related("delegate")`` makes, written once per process from the
models' fields: building it anew costs as much as running it, and a reload of a delegate's page
does little else. The rows go through each field's database converters, as the ORM's do.

A row read is kept in the process (``_rows``) while no user or delegate was saved or deleted
anywhere (``ACCOUNTS_KEY``, a tracked generation) and ``PROGRAMME_VERSION_CACHE_SECONDS`` at most,
as the public pages trust their version (writes that send no signal).
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from delegates.models import Delegate
from forum.cache import ProcessCopies, replace_generation

# Stored in the sessions that the personal link and the sign-in page open; listed last in
# AUTHENTICATION_BACKENDS, so that Django accepts it when it reads such a session.
SESSION_BACKEND = "delegates.auth.DelegateSessionBackend"
# Replaced on every save or deletion of a user or a delegate (delegates.apps).
ACCOUNTS_KEY = "accounts-generation"
# Users whose row this process keeps (a few hundred bytes each).
ROWS_KEPT = 1024


class DelegateSessionBackend(BaseBackend):
    """Checks no password and grants no permission (ModelBackend, before it, does both): it only
    reads the user of a session, as ModelBackend would, with their delegate."""

    def get_user(self, user_id):
        user = _kept_user(user_id)
        return user if user is not None and ModelBackend().user_can_authenticate(user) else None


@dataclass(frozen=True)
class _Read:
    sql: str
    user_names: list[str]
    delegate_names: list[str]
    # By column: the converters of its field, and the column they are given.
    converters: list[tuple[int, list, object]]


@cache
def _read(alias: str) -> _Read:
    connection = connections[alias]
    quote = connection.ops.quote_name
    users, delegates = get_user_model()._meta, Delegate._meta
    columns, converters = [], []
    for meta in (users, delegates):
        for field in meta.concrete_fields:
            column = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((len(columns), found, column))
            columns.append(f"{quote(meta.db_table)}.{quote(field.column)}")
    user_key = f"{quote(users.db_table)}.{quote(users.pk.column)}"
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(users.db_table)} "
        f"LEFT OUTER JOIN {quote(delegates.db_table)} ON "
        f"{quote(delegates.db_table)}.{quote(delegates.get_field('user').column)} = {user_key} "
        f"WHERE {user_key} = %s"
    )
    return _Read(
        sql=sql,
        user_names=[field.attname for field in users.concrete_fields],
        delegate_names=[field.attname for field in delegates.concrete_fields],
        converters=converters,
    )


def user_with_delegate(user_id, *, using: str = DEFAULT_DB_ALIAS):
    """The user with this id, their delegate (or None) already in ``user.delegate``; None if no
    such user."""
    row = _row(user_id, using)
    return None if row is None else _built(row, using)


def accounts_changed(sender=None, using=None, **kwargs) -> None:
    """Receiver of every save and deletion of a user or a delegate: now, and again at commit
    (another process may have kept the old row under the first new generation)."""
    replace_generation(ACCOUNTS_KEY)
    transaction.on_commit(lambda: replace_generation(ACCOUNTS_KEY), using=using)


_rows = ProcessCopies(ROWS_KEPT)


def _kept_user(user_id):
    row = _rows.kept_or_read(user_id, ACCOUNTS_KEY, lambda: _row(user_id, DEFAULT_DB_ALIAS))
    # New objects each time: a request may change its own.
    return None if row is None else _built(row, DEFAULT_DB_ALIAS)


def _row(user_id, using: str) -> list | None:
    read = _read(using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(read.sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, converters, column in read.converters:
        for converter in converters:
            row[position] = converter(row[position], column, connection)
    return row


def _built(row: list, using: str):
    read = _read(using)
    split = len(read.user_names)
    user = get_user_model().from_db(using, read.user_names, row[:split])
    delegate = None
    if row[split + read.delegate_names.index(Delegate._meta.pk.attname)] is not None:  # joined
        delegate = Delegate.from_db(using, read.delegate_names, row[split:])
        Delegate._meta.get_field("user").set_cached_value(delegate, user)
    # None as select_related leaves it: user.delegate raises DoesNotExist, asking nothing.
    Delegate._meta.get_field("user").remote_field.set_cached_value(user, delegate)
    return user
