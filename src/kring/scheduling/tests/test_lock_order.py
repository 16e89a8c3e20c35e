"""Accepting a case books the new coordinator before the move is recorded (issue 14, review
1b; docs/adr/0012-audit-chain.md, "Deadlocks").

The booking's insert waits on the exclusion constraint while another transaction holds an
uncommitted booking of the same coordinator then. Had the accepting transaction recorded first,
it would hold the audit chain's lock while waiting, and the other transaction, which records
after booking (as `confirm` and `move` do), would wait for that lock: a deadlock on PostgreSQL.
Booking first, the accepting transaction waits without the chain's lock, learns that the
coordinator is taken, and says so on the timeline.

The other transaction records once the accepting one waits on a lock (read from
pg_stat_activity), never after a time. (On SQLite a transaction holds the database's write
lock from its start: nothing to test.)"""

import threading

import pytest
from django.db import connection, connections, transaction

from kring.audit import chain
from kring.audit.log import record
from kring.cases import actions as case_actions
from kring.cases.models import CaseEvent
from kring.scheduling import actions, booking
from kring.scheduling.models import Booking
from kring.scheduling.tests.booking_fixtures import eik, linde, meeting_for, polling, ready_case

__all__ = ["eik", "linde", "polling", "ready_case"]

from kring.testing.postgres import another_backend_waits_on_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's writers never run at once"
    ),
]


def test_accepting_waits_for_a_booking_of_the_coordinator_before_it_records(
    polling, carla, olaf, mira, eik
):
    confirmed = actions.confirm(polling, polling.options.order_by("starts_at").first(), by=carla)
    case = confirmed.case
    offer = case_actions.offer_to_coordinator(case, coordinator=olaf, by=mira)
    other = meeting_for(olaf)
    booked, accepted = threading.Event(), threading.Event()
    errors = {}

    def books_olaf_elsewhere():
        try:
            with transaction.atomic():
                booking.book_time(
                    other, venue=eik, starts_at=confirmed.starts_at, ends_at=confirmed.ends_at
                )
                booked.set()
                with connection.cursor() as cursor:
                    while not accepted.is_set():
                        if another_backend_waits_on_a_lock(cursor):
                            break
                record("scheduling.meeting_confirmed", actor=olaf, case=other.case)
        except Exception as error:  # reported by the test
            errors["booking"] = repr(error)
        finally:
            connections.close_all()

    def accepts():
        try:
            if not booked.wait(timeout=60):
                raise TimeoutError("the other meeting was never booked")
            case_actions.accept_assignment(offer, declares_independence=True, by=olaf)
        except Exception as error:  # reported by the test
            errors["accepting"] = repr(error)
        finally:
            accepted.set()
            connections.close_all()

    threads = [threading.Thread(target=books_olaf_elsewhere), threading.Thread(target=accepts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == {}
    case.refresh_from_db()
    assert case.coordinator_id == olaf.pk
    holders = Booking.objects.filter(coordinator=olaf, released_at__isnull=True)
    assert [b.meeting_id for b in holders] == [other.pk]
    assert CaseEvent.objects.filter(case=case, kind="scheduling.coordinator_not_booked").exists()
    assert chain.verify().ok
