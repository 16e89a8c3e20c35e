"""The issue's concurrency test (issue 10, point 4): two editors of the same plan, each in its own
process with its own database connection, save the same agreement from the same revision at
the same moment. Exactly one wins; the other gets the conflict with the winner's text and
nothing of its own is written; it sends again on the new revision, and in the end both edits are
there: no update is lost. On SQLite and on PostgreSQL.

As in scheduling's concurrency test: on SQLite the committed set-up is copied to a file database
in WAL mode first (the test database lives in memory, which two processes cannot share), and
both processes save there, as two Kring processes would. They start together at a barrier; no
sleeps."""

import multiprocessing
import sqlite3

import pytest
from django.db import connection, connections

from kring.conference import editing
from kring.conference.models import Agreement

pytestmark = pytest.mark.django_db(transaction=True)

# Kept in each child, never closed there: the parent's connection, inherited by fork.
_inherited = []


def _save_in_child(database, user_pk, agreement_pk, revision, changes, start, results):
    from kring.accounts.models import User

    conn = connections["default"]
    _inherited.append(conn.connection)
    conn.connection = None
    if database:
        conn.settings_dict["NAME"] = database
    name = next(iter(changes))
    try:
        user = User.objects.get(pk=user_pk)
        agreement = Agreement.objects.select_related("plan").get(pk=agreement_pk)
        start.wait(timeout=60)
        saved = editing.save_agreement(agreement, revision=revision, by=user, **changes)
        results.put((name, "saved", saved.revision))
    except editing.Conflict as conflict:
        results.put((name, "conflict", conflict.revision, conflict.values))
    except Exception as error:  # reported to the test, which fails with it
        results.put((name, "error", repr(error)))
    finally:
        conn.close()


def _file_copy(tmp_path) -> str:
    """On SQLite: the test database, committed, copied to a file in WAL mode; "" on
    PostgreSQL."""
    if connection.vendor != "sqlite":
        return ""
    path = str(tmp_path / "plan.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


def _row(database, agreement_pk) -> dict:
    columns = ("what", "how_checked", "revision")
    sql = "SELECT what, how_checked, revision FROM conference_agreement WHERE id = ?"
    if database:
        with sqlite3.connect(database) as db:
            return dict(zip(columns, db.execute(sql, (agreement_pk,)).fetchone(), strict=True))
    return Agreement.objects.values(*columns).get(pk=agreement_pk)


def _editors(database, user, agreement, saves) -> list[tuple]:
    """Each save (revision, changes) in its own process, all at once."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(saves))
    results = context.Queue()
    # The children open connections of their own (on PostgreSQL the parent's is closed first).
    connections.close_all()
    processes = [
        context.Process(
            target=_save_in_child,
            args=(database, user.pk, agreement.pk, revision, changes, start, results),
        )
        for revision, changes in saves
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert all(o[1] != "error" for o in outcomes), outcomes
    return outcomes


def test_two_editors_save_one_agreement_at_once_one_gets_the_conflict_and_nothing_is_lost(
    tmp_path, plan, carla, daan
):
    agreement = editing.add_agreement(
        plan, what="Daan helpt in de tuin.", who=daan, how_checked="Sanne zegt het.", by=carla
    )
    database = _file_copy(tmp_path)
    edits = [
        {"what": "Daan helpt twee zaterdagen in de tuin."},  # the laptop
        {"how_checked": "Sanne laat het Carla weten."},  # the tablet
    ]
    outcomes = _editors(database, carla, agreement, [(1, changes) for changes in edits])

    kinds = sorted(o[1] for o in outcomes)
    assert kinds == ["conflict", "saved"]
    won = next(o for o in outcomes if o[1] == "saved")
    lost = next(o for o in outcomes if o[1] == "conflict")
    # The loser is told the winner's text and the row's new revision; nothing of its own is in.
    winner_field, loser_field = won[0], lost[0]
    winning_edit = next(e for e in edits if winner_field in e)
    losing_edit = next(e for e in edits if loser_field in e)
    assert lost[2] == won[2] == 2
    assert lost[3][winner_field] == winning_edit[winner_field]
    row = _row(database, agreement.pk)
    assert row[winner_field] == winning_edit[winner_field]
    assert row[loser_field] != losing_edit[loser_field]

    # The loser sends again on the new revision (what "Mijn tekst houden" does): both are in.
    (again,) = _editors(database, carla, agreement, [(lost[2], losing_edit)])
    assert again[1:] == ("saved", 3)
    row = _row(database, agreement.pk)
    assert row[winner_field] == winning_edit[winner_field]
    assert row[loser_field] == losing_edit[loser_field]
    assert row["revision"] == 3
