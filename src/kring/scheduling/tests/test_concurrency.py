"""The issue's concurrency test (issue 9, point 4): two processes book the same venue for
overlapping times at the same moment, and separately the same coordinator. Exactly one
succeeds; the other is refused with a message naming the winner's meeting. On SQLite and on
PostgreSQL (docs/adr/0008-booking-without-double-booking.md).

Each process gets its own database connection. The test database of SQLite lives in memory,
where connections share one cache and no file lock: so on SQLite the committed set-up is copied
to a file database first, and both processes book there, as two Kring processes would. The
processes start together at a barrier; no sleeps.

On PostgreSQL one more test makes the race certain: the loser checks while the winner's
booking is not committed yet (so the check sees nothing), inserts, waits on the exclusion
constraint, and is refused once the winner commits.
"""

import multiprocessing
import sqlite3
import threading

import pytest
from django.db import connection, connections, transaction

from kring.core.policy import Refused
from kring.scheduling import booking
from kring.scheduling.models import Booking, Meeting
from kring.scheduling.tests.booking_fixtures import days_ahead, meeting_for, venue_of

pytestmark = pytest.mark.django_db(transaction=True)

# Kept in each child, never closed there: the parent's connection object, inherited by fork.
# Closing it would close the parent's session (PostgreSQL) or the shared in-memory database.
_inherited = []


def _book_in_child(database, meeting_pk, venue_pk, starts_at, ends_at, start, results):
    conn = connections["default"]
    _inherited.append(conn.connection)
    conn.connection = None
    if database:
        conn.settings_dict["NAME"] = database
    try:
        start.wait(timeout=60)
        with transaction.atomic():
            meeting = Meeting.objects.select_related("case__referral").get(pk=meeting_pk)
            venue = meeting.case.team.venues.get(pk=venue_pk)
            booking.book_time(meeting, venue=venue, starts_at=starts_at, ends_at=ends_at)
        results.put((meeting_pk, "booked", ""))
    except Refused as refused:
        results.put((meeting_pk, "refused", str(refused.reason)))
    except Exception as error:  # reported to the test, which fails with it
        results.put((meeting_pk, "error", repr(error)))
    finally:
        conn.close()


def _file_copy(tmp_path) -> str:
    """On SQLite: the test database, committed, copied to a file; "" on PostgreSQL."""
    if connection.vendor != "sqlite":
        return ""
    path = str(tmp_path / "race.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    # In WAL mode before the children connect: switching a database to WAL needs it to
    # itself, so two connections switching at once would fail "database is locked" at once,
    # without waiting (Kring's init_command asks for WAL; on a WAL file that changes nothing).
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


def _live_bookings(database) -> list[tuple[int, int | None, int | None]]:
    sql = (
        "SELECT meeting_id, venue_id, coordinator_id FROM scheduling_booking "
        "WHERE released_at IS NULL ORDER BY id"
    )
    if database:
        with sqlite3.connect(database) as db:
            return list(db.execute(sql))
    return list(
        Booking.objects.filter(released_at__isnull=True).values_list(
            "meeting_id", "venue_id", "coordinator_id"
        )
    )


def race(tmp_path, attempts):
    """Run each attempt (meeting, venue, start, end) in its own process, all at once."""
    database = _file_copy(tmp_path)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(attempts))
    results = context.Queue()
    # The children open connections of their own (on PostgreSQL the parent's is closed first).
    connections.close_all()
    processes = [
        context.Process(
            target=_book_in_child,
            args=(database, m.pk, v.pk, starts_at, ends_at, start, results),
        )
        for m, v, starts_at, ends_at in attempts
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert all(kind != "error" for _, kind, _ in outcomes), outcomes
    return sorted(outcomes, key=lambda o: o[1]), _live_bookings(database)


def test_two_processes_booking_one_venue_at_once_only_one_succeeds(tmp_path, carla, olaf, team):
    linde = venue_of(team)
    carlas, olafs = meeting_for(carla), meeting_for(olaf)
    start, end = days_ahead(7)
    later_start, later_end = days_ahead(7, hour=15)  # 15:00-18:00: overlaps 14:00-17:00

    outcomes, live = race(
        tmp_path, [(carlas, linde, start, end), (olafs, linde, later_start, later_end)]
    )

    (winner, booked, _), (loser, refused, message) = outcomes
    assert (booked, refused) == ("booked", "refused")
    winning = Meeting.objects.select_related("case__referral").get(pk=winner)
    assert winning.case.reference in message
    # The winner holds the venue and its coordinator; the loser holds nothing.
    assert sorted(m for m, _, _ in live) == [winner, winner]
    assert [v for _, v, _ in live if v is not None] == [linde.pk]


def test_two_processes_booking_one_coordinator_at_once_only_one_succeeds(tmp_path, carla, team):
    first, second = meeting_for(carla), meeting_for(carla)
    linde, eik = venue_of(team), venue_of(team, "Wijkcentrum De Eik")
    start, end = days_ahead(7)
    later_start, later_end = days_ahead(7, hour=16)

    outcomes, live = race(
        tmp_path, [(first, linde, start, end), (second, eik, later_start, later_end)]
    )

    (winner, booked, _), (loser, refused, message) = outcomes
    assert (booked, refused) == ("booked", "refused")
    winning = Meeting.objects.select_related("case__referral").get(pk=winner)
    assert winning.case.reference in message
    assert sorted(m for m, _, _ in live) == [winner, winner]
    assert [c for _, _, c in live if c is not None] == [carla.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint's path")
def test_on_postgresql_a_booking_that_passed_the_check_is_refused_by_the_constraint(
    carla, olaf, team
):
    linde = venue_of(team)
    carlas, olafs = meeting_for(carla), meeting_for(olaf)
    start, end = days_ahead(7)
    booked, loser_done = threading.Event(), threading.Event()
    outcome = {}

    def winner():
        try:
            with transaction.atomic():
                booking.book_time(carlas, venue=linde, starts_at=start, ends_at=end)
                booked.set()
                # Commit only once the loser waits on the constraint's lock (a condition in
                # the database, not a time).
                with connection.cursor() as cursor:
                    while not loser_done.is_set():
                        # pg_stat_activity is read once per transaction unless cleared.
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            break
        finally:
            connections.close_all()

    def loser():
        try:
            booked.wait(timeout=60)
            with transaction.atomic():
                # The check sees no booking (the winner's is not committed yet) ...
                assert booking.check_free(olafs, venue=linde, starts_at=start, ends_at=end) is None
                # ... so the insert runs into the exclusion constraint, and waits for the winner.
                booking.book_time(olafs, venue=linde, starts_at=start, ends_at=end)
            outcome["loser"] = "booked"
        except Refused as refused:
            outcome["loser"] = str(refused.reason)
        finally:
            loser_done.set()
            connections.close_all()

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert carlas.case.reference in outcome["loser"]
    assert set(
        Booking.objects.filter(released_at__isnull=True).values_list("meeting_id", flat=True)
    ) == {carlas.pk}
