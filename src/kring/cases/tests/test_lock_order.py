"""The order of locks and the audit chain's lock on PostgreSQL (docs/adr/0012-audit-chain.md,
"Deadlocks"; issue 14, review 1c).

A transaction that records holds the chain's advisory lock until it ends. Django's foreign keys
on PostgreSQL are DEFERRABLE INITIALLY DEFERRED: at COMMIT the check of a new row that refers
to a case takes FOR KEY SHARE on the case's row. A FOR UPDATE lock on the case would block that
check, while the holder of FOR UPDATE waits for the chain's lock to record: a deadlock. The
locks that only serialise work are FOR NO KEY UPDATE, which excludes other lockers but lets
the check through.

The second writer starts when the first holds the case's lock; the first records once the
second has committed or waits on a lock (read from pg_stat_activity), never after a time.
(On SQLite a transaction holds the database's write lock from its start: nothing to test.)"""

import threading

import pytest
from django.db import connection, connections, transaction

from kring.audit import chain
from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.cases import actions
from kring.cases.models import CaseEvent
from kring.testing.postgres import another_backend_waits_on_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's writers never run at once"
    ),
]


def test_the_case_lock_lets_a_new_rows_key_check_through_at_commit(referred_case, bram):
    """One transaction locks the case and then records; another adds a timeline line to the
    case (a row referring to it) and records, and commits while the first holds its lock. Both
    commit; with FOR UPDATE on the case PostgreSQL reported a deadlock."""
    case = referred_case
    locked, second_done = threading.Event(), threading.Event()
    errors = {}

    def first():
        try:
            with transaction.atomic():
                actions.lock_case(case)
                locked.set()
                with connection.cursor() as cursor:
                    while not second_done.is_set():
                        if another_backend_waits_on_a_lock(cursor):
                            break
                record("case.viewed", actor=bram, case=case, data={"who": 1})
        except Exception as error:  # reported by the test
            errors["first"] = repr(error)
        finally:
            connections.close_all()

    def second():
        try:
            if not locked.wait(timeout=60):
                raise TimeoutError("the first never locked the case")
            with transaction.atomic():
                actions.log_event(case, "case.note_added", by=bram, who=2)
        except Exception as error:  # reported by the test
            errors["second"] = repr(error)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == {}
    assert CaseEvent.objects.filter(case=case, kind="case.note_added").exists()
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.viewed").exists()
    assert chain.verify().ok
