"""The issue's crash test (issue 11, "How it is checked"; R14): 50 plans with 3 signers each,
signed by 8 processes at once, of which 3 are killed (SIGKILL) halfway. Afterwards every
signature whose request was answered is there, none is doubled, each has its one audit row and
timeline line, and every fully signed case moved into follow-up once, with one signed document.

How:
- The 50 cases are made with the models (bulk where the model allows it): each conference_held,
  with a confirmed meeting, a conference whose rounds are done, 3 participants present, and its
  plan final as version 1.
- Each process works through all 150 places in its own shuffled order, signing each through
  `signing.actions.sign` as the participant in their portal. So every place is asked for by
  all 8 processes: without the case lock, the idempotent retry and the unique constraint there
  would be doubles. After each answered call (sign returned: its transaction committed) the
  process appends "version,participant,role,created" to a file of its own, written with one
  `write` and fsync'ed, before its next call.
- The parent waits until a victim has written `HALFWAY` lines (it says so on its own pipe: a
  condition, not a time), then kills it with SIGKILL wherever it is by then: between two
  calls, inside a transaction (it is rolled back), or while writing its line (an unfinished last
  line is not counted: it was not answered).
- Each process has its own database connection (as scheduling/tests/test_concurrency.py): on
  SQLite the committed set-up is copied to a file database in WAL mode first, since the test
  database lives in memory; Kring opens SQLite transactions IMMEDIATE, so writers queue on the
  file's lock, and a killed writer's lock goes with its process. On PostgreSQL the processes
  share the test database; a killed process's open transaction is rolled back by the server.

The PDF: in tests the task queue runs tasks at once (HUEY immediate). The children are web
processes here: they hand `make_document` to a queue (Huey's in-memory storage, kept by turning
`immediate` off without switching storage) and nobody runs it; a killed process loses its
queue, which is what the periodic sweep of signing.tasks is for (tested with the document).
This test is about the signatures, the move and the one document record per version; making
and sealing the PDF has its own tests (test_tasks.py, test_pdf.py).
"""

import hashlib
import multiprocessing
import os
import random
import signal
import sqlite3
from collections import Counter
from multiprocessing.connection import wait

import pytest
from django.db import connection, connections
from django.utils import timezone

from kring.cases.lifecycle import State

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 50
SIGNERS = 3  # per plan
PROCESSES = 8
VICTIMS = 3  # of the processes, killed halfway
HALFWAY = 40  # answered calls a victim makes before it is killed (of 150)
SAFETY_NET = 300  # seconds: only so that a hung run fails instead of hanging the suite

CONSENT = "I have read this plan (version 1) and I agree with it."

# Kept in each child, never closed there: the parent's connection object, inherited by fork.
_inherited = []


# --- the set-up: 50 plans, quickly --------------------------------------------------------------


def _plans(carla) -> dict[int, tuple[int, list[int]]]:
    """50 cases after their conference, each with 3 people present and version 1 of the plan
    final: {version id: (case id, [participant ids])}."""
    from kring.cases.models import Case  # noqa: PLC0415
    from kring.circle.models import Participant, Side  # noqa: PLC0415
    from kring.conference.models import Attendance, Conference, Plan, PlanVersion  # noqa: PLC0415
    from kring.referrals.models import Referral  # noqa: PLC0415
    from kring.scheduling.models import Meeting  # noqa: PLC0415
    from kring.testing.factories import ReferralFactory  # noqa: PLC0415

    now = timezone.now()
    referrals = Referral.objects.bulk_create([ReferralFactory.build() for _ in range(CASES)])
    cases = Case.objects.bulk_create(
        [
            Case(
                referral=referral,
                state=State.CONFERENCE_HELD,
                state_changed_at=now,
                team_id=carla.team_id,
                coordinator=carla,
            )
            for referral in referrals
        ]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                case=case,
                status=Meeting.Status.CONFIRMED,
                uid=f"crash-{case.pk}@kring",
                starts_at=now,
                ends_at=now,
                created_by=carla,
                confirmed_at=now,
            )
            for case in cases
        ]
    )
    conferences = Conference.objects.bulk_create(
        [
            Conference(
                case=case,
                meeting=meeting,
                created_by=carla,
                started_at=now,
                introductions_done_at=now,
                rounds_done_at=now,
            )
            for case, meeting in zip(cases, meetings, strict=True)
        ]
    )
    sides = (Side.RESPONSIBLE, Side.HARMED, Side.SUPPORTER)
    people = Participant.objects.bulk_create(
        [
            Participant(case=case, name=f"Deelnemer {case.pk}-{n}", side=sides[n])
            for case in cases
            for n in range(SIGNERS)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                conference=conferences[i // SIGNERS],
                participant=person,
                present=True,
                recorded_at=now,
                recorded_by=carla,
            )
            for i, person in enumerate(people)
        ]
    )
    # One by one: migration 0002's trigger checks each plan's conference (rounds done, R12).
    plans = [
        Plan.objects.create(case=case, conference=conference, created_by=carla, edit_count=1)
        for case, conference in zip(cases, conferences, strict=True)
    ]
    found = {}
    for i, plan in enumerate(plans):
        content = {"plan": plan.pk, "agreements": [f"afspraak {plan.pk}"]}
        version = PlanVersion.objects.create(
            plan=plan,
            number=1,
            content=content,
            content_hash=hashlib.sha256(repr(content).encode()).hexdigest(),
            edit_count=plan.edit_count,
            finalised_at=now,
            finalised_by=carla,
        )
        found[version.pk] = (plan.case_id, [p.pk for p in people[i * SIGNERS : (i + 1) * SIGNERS]])
    return found


def _file_copy(tmp_path) -> str:
    """On SQLite: the test database, committed, copied to a file in WAL mode (as
    scheduling/tests/test_concurrency.py); "" on PostgreSQL."""
    if connection.vendor != "sqlite":
        return ""
    path = str(tmp_path / "crash.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


# --- a process that signs -----------------------------------------------------------------------


def _signing_process(database, places, seed, lines_path, halfway):
    """Sign every place in `places` in a shuffled order; one line per answered call."""
    conn = connections["default"]
    _inherited.append(conn.connection)
    conn.connection = None
    if database:
        conn.settings_dict["NAME"] = database
    # A web process hands the PDF to the queue and goes on (see the module's docstring).
    from huey.contrib.djhuey import HUEY  # noqa: PLC0415

    HUEY.immediate_use_memory = False
    HUEY.immediate = False

    from kring.audit.actors import Actor  # noqa: PLC0415
    from kring.circle.models import Participant  # noqa: PLC0415
    from kring.conference.models import PlanVersion  # noqa: PLC0415
    from kring.signing import actions  # noqa: PLC0415

    order = list(places)
    random.Random(seed).shuffle(order)
    out = os.open(lines_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    answered = 0
    code = 0
    try:
        for version_id, participant_id in order:
            try:
                version = PlanVersion.objects.select_related("plan").get(pk=version_id)
                signer = Participant.objects.get(pk=participant_id)
                signature, created = actions.sign(
                    version,
                    participant_id,
                    "own",
                    by=Actor.in_portal(signer),
                    code_verified=True,  # the page asked for the one-time code
                    typed_name=signer.name,
                    agreed=True,
                    consent_text=CONSENT,
                    address="192.0.2.1",
                    user_agent=f"crash test {seed}",
                )
                line = f"{signature.version_id},{signature.participant_id},{signature.role},"
                line += f"{int(created)}\n"
            except Exception as error:  # reported to the parent, which fails with it
                line = f"error,{type(error).__name__},{str(error)[:200]!r}\n".replace("\n", " ")
                line = line.rstrip() + "\n"
                code = 1
            os.write(out, line.encode())
            os.fsync(out)
            answered += 1
            if answered == HALFWAY and halfway is not None:
                halfway.send(seed)
    finally:
        os.close(out)
        conn.close()
    os._exit(code)


def _answered(path) -> list[list[str]]:
    """The complete lines of a process's file (a line cut off by SIGKILL was not answered)."""
    with open(path, encoding="utf-8") as lines:
        text = lines.read()
    return [line.split(",") for line in text.split("\n")[:-1]]


# --- what is in the database afterwards ---------------------------------------------------------


def _rows(database, sql) -> list[tuple]:
    if database:
        with sqlite3.connect(database) as db:
            return list(db.execute(sql))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


# --- the test -----------------------------------------------------------------------------------


def test_signing_in_8_processes_of_which_3_are_killed_loses_and_doubles_nothing(tmp_path, carla):
    plans = _plans(carla)
    places = [(version, person) for version, (_, people) in plans.items() for person in people]
    assert len(places) == CASES * SIGNERS
    case_of_version = {version: case for version, (case, _) in plans.items()}
    database = _file_copy(tmp_path)

    context = multiprocessing.get_context("fork")
    # A victim says on its own pipe that it is halfway. Not a shared queue or event: a process
    # killed while holding their lock (shared by all processes) would block the next victim.
    pipes = [context.Pipe(duplex=False) for _ in range(VICTIMS)]
    files = [str(tmp_path / f"answered-{n}.txt") for n in range(PROCESSES)]
    # The children open connections of their own (on PostgreSQL the parent's is closed first).
    connections.close_all()
    processes = [
        context.Process(
            target=_signing_process,
            args=(database, places, n, files[n], pipes[n][1] if n < VICTIMS else None),
        )
        for n in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        # Each victim is killed as soon as it says it is halfway, wherever it is by then.
        waiting = {pipes[n][0]: n for n in range(VICTIMS)}
        while waiting:
            ready = wait(list(waiting), timeout=SAFETY_NET)
            assert ready, f"processes {sorted(waiting.values())} never got halfway"
            for reader in ready:
                n = waiting.pop(reader)
                assert reader.recv() == n
                os.kill(processes[n].pid, signal.SIGKILL)
        for process in processes:
            process.join(timeout=SAFETY_NET)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join()

    answered_by = [len(_answered(path)) for path in files]
    exits = [p.exitcode for p in processes]
    assert exits[:VICTIMS] == [-signal.SIGKILL] * VICTIMS, (exits, answered_by)
    answered = [line for path in files for line in _answered(path)]
    errors = [line for line in answered if line[0] == "error"]
    assert not errors, errors
    assert exits[VICTIMS:] == [0] * (PROCESSES - VICTIMS), (exits, answered_by)
    # The victims were killed halfway: each answered some of its calls, not all of them.
    for path in files[:VICTIMS]:
        assert HALFWAY <= len(_answered(path)) < len(places)

    signatures = _rows(database, "SELECT version_id, participant_id, role FROM signing_signature")
    stored = Counter((str(v), str(p), r) for v, p, r in signatures)
    # Every answered request has its signature ...
    missing = {tuple(line[:3]) for line in answered} - set(stored)
    assert not missing, f"answered, but not stored: {sorted(missing)[:5]}"
    # ... and no place is signed twice (asked of the data, not only of the constraint).
    assert all(count == 1 for count in stored.values()), stored.most_common(3)
    # The survivors went through every place: everything is signed, once.
    assert len(stored) == len(places)
    # Exactly one call made each signature; every other answer was a retry returning it.
    made = Counter(tuple(line[:3]) for line in answered if line[3] == "1")
    assert all(count == 1 for count in made.values()), made.most_common(3)

    # Each signature has exactly one audit row and one timeline line, by its signer.
    audit = Counter(
        _rows(
            database,
            "SELECT case_id, actor_participant_id FROM audit_auditevent "
            "WHERE action = 'signing.signed'",
        )
    )
    timeline = Counter(
        _rows(
            database,
            "SELECT case_id, actor_participant_id FROM cases_caseevent "
            "WHERE kind = 'signing.signed'",
        )
    )
    expected = Counter((case_of_version[v], p) for v, p, _ in signatures)
    assert audit == expected
    assert timeline == expected

    # Every case is fully signed: it moved into follow-up once, with one signed document.
    states = dict(_rows(database, "SELECT id, state FROM cases_case"))
    assert {states[case] for case in case_of_version.values()} == {State.FOLLOWING_UP}
    moves = Counter(
        case
        for (case,) in _rows(
            database, "SELECT case_id FROM cases_caseevent WHERE kind = 'case.plan_signed'"
        )
    )
    assert moves == Counter(case_of_version.values())
    documents = Counter(_rows(database, "SELECT version_id, case_id FROM signing_signeddocument"))
    assert documents == Counter((v, c) for v, c in case_of_version.items())
