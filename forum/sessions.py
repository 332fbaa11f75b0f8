"""Sessions stored in the database and read through the shared cache (``SESSION_ENGINE``): a
signed-in reload reads its session from Redis rather than PostgreSQL (README, "Operations").

The database stays the truth: every write goes there first, and while the cache does not answer
(forum.cache) sessions are read from it, so signing in and out work as before. A copy is kept in
the cache ``CACHED_SECONDS`` at most, not the session's life: a session ended or changed while the
cache did not answer (its copy there could be neither dropped nor replaced) is read from the
database again within that time once the cache answers.
"""

from django.contrib.sessions.backends import cached_db

CACHED_SECONDS = 60


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "session:"

    def load(self):
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
        # The database row first, with the session's own expiry; then the copy.
        super(cached_db.SessionStore, self).save(must_create)
        self._cache.set(self.cache_key, self._session, min(self.get_expiry_age(), CACHED_SECONDS))
