"""The audit log is a hash chain (issue 14, finding 1 and point 1): every row carries the hash
of its content and of the row before it, `kring audit verify` names the first broken link, and
SQLite refuses REPLACE and upserts as both databases refuse UPDATE and DELETE.

The tampering tests act as an attacker with the database would: they drop the triggers with raw
SQL first, then change, remove, insert, swap or replace rows. The same tests run on SQLite and
on PostgreSQL (CI's postgres step)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kring.audit import chain
from kring.audit.log import record
from kring.audit.models import AuditEvent, ChainCheck

pytestmark = pytest.mark.django_db

TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
        "DROP TRIGGER IF EXISTS audit_event_no_replace",
        "DROP TRIGGER IF EXISTS audit_event_chain_head",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_chain_head ON audit_auditevent",
    ],
}
COLUMNS = (
    "seq, prev_hash, hash, at, actor_id, actor_role, actor_kind, actor_participant_id, "
    "for_participant_id, team_id, case_id, action, object_type, object_id, ip, data"
)


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _drop_triggers() -> None:
    """What an attacker with the database does first."""
    for statement in TRIGGERS[connection.vendor]:
        _sql(statement)


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


@pytest.fixture
def log(carla):
    """Five rows, as Kring writes them."""
    return [record(f"case.viewed_{n}", actor=carla, data={"n": n}) for n in range(5)]


def test_each_row_links_to_the_one_before(log):
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == chain.GENESIS
    for before, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == before.hash
        assert len(row.hash) == 64
    assert {row.hash for row in rows} == {chain.row_hash(row) for row in rows}


def test_the_hash_covers_every_column_but_the_links():
    covered = set(chain.FIELDS)
    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert columns - covered == {"id", "prev_hash", "hash"}


def test_verify_passes_an_untouched_log(log):
    status, output = _verify()
    assert status == 0, output
    assert "verifies" in output and "5" in output


def test_verify_finds_a_changed_field(log):
    _drop_triggers()
    _sql("UPDATE audit_auditevent SET ip = '203.0.113.9' WHERE seq = 3")
    status, output = _verify()
    assert status == 1
    assert "row 3" in output and "changed" in output


def test_verify_finds_a_deleted_row(log):
    _drop_triggers()
    _sql("DELETE FROM audit_auditevent WHERE seq = 2")
    status, output = _verify()
    assert status == 1
    assert "row 2" in output and "missing" in output


def test_verify_finds_a_deleted_last_row_against_its_last_check(log):
    assert chain.check(full=True).ok
    _drop_triggers()
    _sql("DELETE FROM audit_auditevent WHERE seq = 5")
    status, output = _verify()
    assert status == 1
    assert "row 5" in output and "missing" in output


def test_verify_finds_an_inserted_row(log):
    """A forged row between 2 and 3, with a well-made hash of its own: the rows after it are
    renumbered, which breaks their hashes, and the link of the next row."""
    _drop_triggers()
    _sql("UPDATE audit_auditevent SET seq = seq + 1000 WHERE seq >= 3")
    _sql("UPDATE audit_auditevent SET seq = seq - 999 WHERE seq >= 1000")
    second = AuditEvent.objects.get(seq=2)
    forged = AuditEvent(seq=3, prev_hash=second.hash, at=second.at, action="case.nothing", data={})
    forged.hash = chain.row_hash(forged)
    _sql(
        f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES "  # noqa: S608 (our constant)
        "(%s, %s, %s, %s, NULL, '', '', NULL, NULL, NULL, NULL, %s, '', '', NULL, %s)",
        [3, forged.prev_hash, forged.hash, second.at, "case.nothing", "{}"],
    )
    status, output = _verify()
    assert status == 1
    assert "row 4" in output


def test_verify_finds_a_swapped_pair(log):
    _drop_triggers()
    _sql("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2")
    _sql("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    _sql("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000")
    status, output = _verify()
    assert status == 1
    assert "row 2" in output


def test_verify_finds_a_rewritten_chain_against_its_last_check(log):
    """An attacker who recomputes every hash after a change makes a chain that holds together;
    the head stored by the last check (and anchored outside) no longer matches."""
    assert chain.check(full=True).ok
    _drop_triggers()
    _sql("UPDATE audit_auditevent SET action = 'case.forged' WHERE seq = 2")
    prev = AuditEvent.objects.get(seq=1).hash
    for row in AuditEvent.objects.filter(seq__gte=2).order_by("seq"):
        row.prev_hash = prev
        prev = chain.row_hash(row)
        _sql(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            [row.prev_hash, prev, row.seq],
        )
    status, output = _verify()
    assert status == 1
    assert "row 5" in output and "last check" in output


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_refuses_insert_or_replace(log):
    victim = AuditEvent.objects.get(seq=3)
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql(
            f"INSERT OR REPLACE INTO audit_auditevent (id, {COLUMNS}) "  # noqa: S608
            "SELECT id, seq, prev_hash, hash, at, actor_id, actor_role, actor_kind, "
            "actor_participant_id, for_participant_id, team_id, case_id, 'case.forged', "
            "object_type, object_id, ip, data FROM audit_auditevent WHERE seq = 3"
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql(
            f"REPLACE INTO audit_auditevent (id, {COLUMNS}) "  # noqa: S608
            "SELECT id, seq, prev_hash, hash, at, actor_id, actor_role, actor_kind, "
            "actor_participant_id, for_participant_id, team_id, case_id, 'case.forged', "
            "object_type, object_id, ip, data FROM audit_auditevent"
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql(
            f"INSERT INTO audit_auditevent (id, {COLUMNS}) "  # noqa: S608
            "SELECT id, seq, prev_hash, hash, at, actor_id, actor_role, actor_kind, "
            "actor_participant_id, for_participant_id, team_id, case_id, 'case.forged', "
            "object_type, object_id, ip, data FROM audit_auditevent WHERE seq = 3 "
            "ON CONFLICT (id) DO UPDATE SET action = excluded.action"
        )
    victim.refresh_from_db()
    assert victim.action == "case.viewed_2"
    assert AuditEvent.objects.count() == 5
    assert _verify()[0] == 0


def test_only_the_next_link_of_the_chain_can_be_inserted(log):
    """Without dropping triggers, a row goes in only at the head, linked to it: a forged row
    in the middle, or one that does not link, is refused on both databases."""
    head = AuditEvent.objects.get(seq=5)
    for seq, prev_hash in [(3, head.hash), (6, "f" * 64), (7, head.hash)]:
        with pytest.raises(DatabaseError), transaction.atomic():
            _sql(
                f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES "  # noqa: S608
                "(%s, %s, %s, %s, NULL, '', '', NULL, NULL, NULL, NULL, 'case.forged', "
                "'', '', NULL, '{}')",
                [seq, prev_hash, "0" * 64, head.at],
            )
    assert AuditEvent.objects.count() == 5


def test_sqlite_replace_was_accepted_without_the_triggers(log):
    """The attack the REPLACE trigger stops, shown working once the triggers are gone: and
    verify sees it."""
    if connection.vendor != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    _drop_triggers()
    _sql(
        f"REPLACE INTO audit_auditevent (id, {COLUMNS}) "  # noqa: S608
        "SELECT id, seq, prev_hash, hash, at, actor_id, actor_role, actor_kind, "
        "actor_participant_id, for_participant_id, team_id, case_id, 'case.forged', "
        "object_type, object_id, ip, data FROM audit_auditevent WHERE seq = 4"
    )
    assert AuditEvent.objects.get(seq=4).action == "case.forged"
    status, output = _verify()
    assert status == 1
    assert "row 4" in output and "changed" in output


def test_a_check_stores_its_result_and_anchors_the_head(log, settings, tmp_path, caplog):
    settings.VAR_DIR = tmp_path
    caplog.set_level("INFO", logger="kring.audit")
    from kring.audit import tasks

    tasks.check_and_anchor_chain.call_local()
    check = ChainCheck.objects.latest("at")
    head = AuditEvent.objects.get(seq=5)
    assert check.ok and check.verified_up_to_seq == 5 and check.head_hash == head.hash
    line = (tmp_path / "audit-anchors.jsonl").read_text().splitlines()[-1]
    assert json.loads(line)["seq"] == 5 and json.loads(line)["hash"] == head.hash
    assert any(head.hash in message for message in caplog.messages)


def test_an_incremental_check_reads_only_the_new_rows(log, carla, django_assert_max_num_queries):
    assert chain.check(full=True).ok
    record("case.viewed_5", actor=carla)
    with django_assert_max_num_queries(6):
        check = chain.check(full=False)
    assert check.ok and check.verified_up_to_seq == 6


def test_a_broken_chain_stays_reported_by_later_checks(log):
    assert chain.check(full=True).ok
    _drop_triggers()
    _sql("UPDATE audit_auditevent SET action = 'case.forged' WHERE seq = 5")
    first = chain.check(full=False)
    assert not first.ok and first.first_broken_seq == 5
    assert not chain.check(full=False).ok


def test_kring_audit_anchor_prints_the_head(log):
    out = io.StringIO()
    call_command("audit", "anchor", stdout=out)
    head = AuditEvent.objects.get(seq=5)
    assert json.loads(out.getvalue()) == {"seq": 5, "hash": head.hash}
