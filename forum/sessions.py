"""Sessions stored in the database and read through the shared cache (``SESSION_ENGINE``): a
signed-in reload reads its session from Redis rather than PostgreSQL (README, "Operations").

The database stays the truth: every write goes there first, and while the cache does not answer
(forum.cache) sessions are read from it, so signing in and out work as before. A copy is kept in
the cache ``CACHED_SECONDS`` at most, not the session's life: a session ended or changed while the
cache did not answer (its copy there could be neither dropped nor replaced) is read from the
database again within that time once the cache answers.

Each process keeps what it read too, while no session was saved or ended anywhere
(``SESSIONS_KEY``, a tracked generation: no round trip) and ``PROGRAMME_VERSION_CACHE_SECONDS`` at
most, as the login's row (delegates.auth): a reload asks neither Redis nor the database.
"""

import copy

from django.contrib.sessions.backends import cached_db

from forum.cache import ProcessCopies, replace_generation

CACHED_SECONDS = 60
# Replaced by every save and end of a session, through this store.
SESSIONS_KEY = "sessions-generation"
# Sessions this process keeps (a few hundred bytes each).
SESSIONS_KEPT = 4096

_kept = ProcessCopies(SESSIONS_KEPT)


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "session:"

    def load(self):
        if self.session_key is None:
            return self._shared_load()
        data = _kept.kept_or_read(self.session_key, SESSIONS_KEY, self._shared_load)
        # A copy of its own: the request changes what it holds.
        return copy.deepcopy(data)

    def _shared_load(self):
        data = self._cache.get(self.cache_key)
        if data is None:
            row = self._get_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            age = self.get_expiry_age(expiry=row.expire_date)
            self._cache.set(self.cache_key, data, min(age, CACHED_SECONDS))
        return data

    def save(self, must_create=False):
        # The database row first, with the session's own expiry; then the copies.
        super(cached_db.SessionStore, self).save(must_create)
        self._cache.set(self.cache_key, self._session, min(self.get_expiry_age(), CACHED_SECONDS))
        replace_generation(SESSIONS_KEY)

    def delete(self, session_key=None):
        super().delete(session_key)
        replace_generation(SESSIONS_KEY)
