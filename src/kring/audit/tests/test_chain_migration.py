"""The migration that makes the audit log a chain (0004) links the rows already there, in
the order they were written, and leaves the append-only triggers in place (issue 14 point 1)."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from kring.audit import chain
from kring.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_the_rows_from_before_the_chain_are_linked_in_the_order_they_were_written():
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0]
    _migrate(("audit", "0003_actors_and_data"))
    try:
        with connection.cursor() as cursor:
            for n, (day, ip) in enumerate([(3, "192.0.2.1"), (1, None), (2, "2001:db8::1")]):
                cursor.execute(
                    "INSERT INTO audit_auditevent (at, actor_role, actor_kind, team_id, action, "
                    "object_type, object_id, ip, data) VALUES (%s, '', 'system', 7, %s, '', '', "
                    "%s, %s)",
                    [datetime(2026, 1, day, tzinfo=UTC), f"case.old_{n}", ip, json.dumps({"n": n})],
                )
    finally:
        _migrate(leaf)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [(row.seq, row.action) for row in rows] == [
        (1, "case.old_1"),
        (2, "case.old_2"),
        (3, "case.old_0"),
    ]
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "verifies" in out.getvalue()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'case.forged' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    assert chain.append({**{f: getattr(rows[2], f) for f in chain.FIELDS}}).seq == 4
