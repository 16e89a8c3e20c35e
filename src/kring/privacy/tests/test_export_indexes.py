"""A participant's own acts are found through indexes, never by reading the whole audit log
(issue 15, point 4): the export counts them with `actor_participant_id = p OR
for_participant_id = p`, and each column has its own (partial) index, so that both databases
look up the two sides and join them (SQLite: MULTI-INDEX OR; PostgreSQL: BitmapOr)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.privacy.export import own_acts


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table this small is read whole when that is cheaper (a scan of the table, or of
            # the whole index on action, in the order of the GROUP BY); forbid both, so that the
            # plan says whether indexes can serve the condition itself. Without them, PostgreSQL
            # still scans the table, whatever it costs.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def test_the_export_counts_a_participants_acts_through_indexes_on_both_columns(
    daan, sanne, preparing_case, carla
):
    for _ in range(3):
        record("case.viewed", actor=carla, case=preparing_case, obj=preparing_case)
    record("portal.viewed", actor=Actor.in_portal(daan), case=preparing_case, obj=daan)
    record("portal.viewed", actor=Actor.in_portal(daan, for_participant=sanne), case=preparing_case)
    with CaptureQueriesContext(connection) as ctx:
        own_acts(sanne)
    [sql] = [q["sql"] for q in ctx.captured_queries if "audit_auditevent" in q["sql"]]
    plan = _plan(sql)
    if connection.vendor == "postgresql":
        assert "Seq Scan on audit_auditevent" not in plan, plan
        assert "audit_actor_participant" in plan and "audit_for_participant" in plan, plan
    else:
        assert "SCAN audit_auditevent" not in plan, plan
        assert "audit_actor_participant" in plan and "audit_for_participant" in plan, plan
