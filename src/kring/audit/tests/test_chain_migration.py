"""The migration that makes the audit log a chain (0004) links the rows already there, in
the order they were written, a chunk at a time, with a frozen copy of the chain's canonical
content, and leaves the append-only triggers in place (issue 14 point 1)."""

import importlib
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from kring.audit import chain
from kring.audit.models import AuditEvent

linking = importlib.import_module("kring.audit.migrations.0004_hash_chain")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _rows_from_before_the_chain(rows):
    """Back to before 0004, the rows (day, ip) written in this order, and forward again."""
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0]
    _migrate(("audit", "0003_actors_and_data"))
    try:
        with connection.cursor() as cursor:
            for n, (day, ip) in enumerate(rows):
                cursor.execute(
                    "INSERT INTO audit_auditevent (at, actor_role, actor_kind, team_id, action, "
                    "object_type, object_id, ip, data) VALUES (%s, '', 'system', 7, %s, '', '', "
                    "%s, %s)",
                    [datetime(2026, 1, day, tzinfo=UTC), f"case.old_{n}", ip, json.dumps({"n": n})],
                )
    finally:
        _migrate(leaf)


@pytest.mark.django_db(transaction=True)
def test_the_rows_from_before_the_chain_are_linked_in_the_order_they_were_written():
    _rows_from_before_the_chain([(3, "192.0.2.1"), (1, None), (2, "2001:db8::1")])
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


@pytest.mark.django_db(transaction=True)
def test_a_log_larger_than_a_chunk_is_linked_over_several_chunks(monkeypatch):
    monkeypatch.setattr(linking, "CHUNK", 3)
    days = [5, 1, 7, 2, 3, 6, 4, 8]  # 8 rows: chunks of 3, 3 and 2

    _rows_from_before_the_chain([(day, None) for day in days])

    written = [f"case.old_{days.index(day)}" for day in sorted(days)]
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action")) == list(
        enumerate(written, start=1)
    )
    assert chain.verify().ok
    assert chain.verify().verified_up_to_seq == 8


def test_the_migrations_frozen_copy_hashes_as_the_chain_does_today():
    """0004 hashes with a copy of FIELDS and content from when the chain began. If this fails,
    kring.audit.chain's content changed: the rows 0004 linked no longer verify unless a new
    migration links them again; this test then compares that migration's copy instead."""
    assert linking.FIELDS == chain.FIELDS
    base = dict.fromkeys(chain.FIELDS)
    rows = [
        {**base, "seq": 1, "at": datetime(2026, 1, 1, tzinfo=UTC), "actor_role": "", "data": {}},
        {
            **base,
            "seq": 2,
            "at": datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=timezone(timedelta(hours=2))),
            "actor_id": 12,
            "actor_role": "coordinator",
            "actor_kind": "user",
            "actor_participant_id": 3,
            "for_participant_id": 4,
            "team_id": 7,
            "case_id": 99,
            "action": "case.viewed",
            "object_type": "case",
            "object_id": "99",
            "ip": "2001:DB8:0:0::1",
            "data": {"names": ("Daan", "Sanne"), 1: "één", "nested": {"b": [1, 2.5, None]}},
        },
        {**base, "seq": 3, "at": datetime(2026, 1, 1, tzinfo=UTC), "ip": "192.0.2.1"},
        {**base, "seq": 4, "at": datetime(2026, 1, 1, tzinfo=UTC), "ip": "not an address"},
    ]
    prev = chain.GENESIS
    for row in rows:
        assert linking.content(row) == chain.content(row)
        assert linking.link(prev, row) == chain.link(prev, row)
        prev = chain.link(prev, row)
