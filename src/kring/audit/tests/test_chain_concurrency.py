"""Writers that record at the same moment still form one chain (issue 14 point 1): on
PostgreSQL each recording transaction takes the chain's advisory lock, reads the head and
inserts the next row; the lock is held to the end of the transaction, so the next writer reads
a head that is committed. (On SQLite a transaction holds the database's write lock from its
start, IMMEDIATE: writers cannot interleave at all.)

Processes start together at a barrier; the race test waits for a condition in the database
(a writer waiting on the lock), never for a time."""

import multiprocessing
import threading

import pytest
from django.db import connection, connections, transaction

from kring.audit import chain
from kring.audit.log import record
from kring.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's writers never run at once"
    ),
]
WRITERS = 6
ROWS = 15
_inherited = []


def _write_in_child(writer, start, results):
    conn = connections["default"]
    _inherited.append(conn.connection)
    conn.connection = None
    try:
        start.wait(timeout=60)
        for n in range(ROWS):
            if n % 5 == 0:
                # Two rows in one transaction, as an action that records twice.
                with transaction.atomic():
                    record("case.viewed", data={"writer": writer, "n": n})
                    record("case.viewed", data={"writer": writer, "n": n, "again": True})
            else:
                record("case.viewed", data={"writer": writer, "n": n})
        results.put((writer, "done"))
    except Exception as error:  # reported to the test, which fails with it
        results.put((writer, repr(error)))
    finally:
        conn.close()


def test_writers_in_many_processes_form_one_chain_without_gaps():
    context = multiprocessing.get_context("fork")
    start = context.Barrier(WRITERS)
    results = context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=_write_in_child, args=(w, start, results)) for w in range(WRITERS)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert all(outcome == "done" for _, outcome in outcomes), outcomes

    expected = WRITERS * (ROWS + ROWS // 5)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, expected + 1)
    )
    result = chain.verify()
    assert result.ok and result.rows == expected, result.message()


def test_a_writer_waits_for_the_transaction_that_holds_the_head():
    """The first writer records and keeps its transaction open until the second waits on the
    chain's lock; the second then links to the first's row. Without the lock the second would
    read the old head and both rows would claim the same place."""
    recorded, second_done = threading.Event(), threading.Event()
    seqs = {}

    def first():
        try:
            with transaction.atomic():
                seqs["first"] = record("case.viewed", data={"who": 1}).seq
                recorded.set()
                with connection.cursor() as cursor:
                    while not second_done.is_set():
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock' "
                            "AND wait_event = 'advisory'"
                        )
                        if cursor.fetchone()[0]:
                            break
        finally:
            connections.close_all()

    def second():
        try:
            recorded.wait(timeout=60)
            seqs["second"] = record("case.viewed", data={"who": 2}).seq
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert (seqs["first"], seqs["second"]) == (1, 2)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert rows[1].prev_hash == rows[0].hash
    assert chain.verify().ok
