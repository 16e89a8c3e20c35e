"""Django's database sessions (SESSION_ENGINE), with the one read of every request in plain SQL
(issue 15, docs/adr/0015-signed-in-in-one-query.md): the ORM's Python cost several times what
the database needed for `Session.objects.get(session_key=..., expire_date__gt=now)`. The same
row, the same condition, the same answer: the session's data, or none and no key when the
session does not exist or has expired. Writing, creating and deleting stay Django's."""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from kring.accounts.signed_in import converted, converters


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        if self.session_key is None:  # the ORM's `session_key IS NULL` finds none either
            self._session_key = None
            return None
        alias = router.db_for_read(model)
        connection = connections[alias]
        meta = model._meta
        fields = [
            meta.get_field("session_key"),
            meta.get_field("session_data"),
            meta.get_field("expire_date"),
        ]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(quote(f.column) for f in fields)} "  # noqa: S608 (names from meta, quoted)
            f"FROM {quote(meta.db_table)} WHERE {quote(fields[0].column)} = %s "
            f"AND {quote(fields[2].column)} > %s"
        )
        now = fields[2].get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        values = converted(row, converters(connection, fields), connection)
        return model.from_db(alias, [f.attname for f in fields], values)
