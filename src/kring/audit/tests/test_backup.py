"""`kring backup` and `kring restore` (issue 14 point 9, docs/deployment.md "Backups").

A backup taken while 8 writers write holds the database as it was at one moment (the head of
its audit chain): every row up to that moment, nothing after it, nothing half. A restore checks
the copy in a scratch database before it replaces anything: a wrong passphrase, a file cut
short and a copy whose audit log was changed are refused, and the target stays as it was;
the same target is replaced by a sound backup.

On SQLite the suite's database lives in memory, which the backup API cannot share with
threads: the tests move the default connection to a file copy of it for their length
(`live_database`). On PostgreSQL (scripts/with-postgres.sh) they use the test database and
restore into new databases on the same server."""

import secrets
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from kring.accounts.models import User
from kring.audit import chain
from kring.audit.log import record
from kring.audit.management import backup as backups

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "correct horse battery staple, forty-two"
WRITERS = 8
BEFORE = 3  # rows each writer commits before the backup starts
AFTER = 2  # and after it ends


@pytest.fixture
def live_database(tmp_path, monkeypatch):
    """The default database as a file every thread can open (SQLite), or the test database
    (PostgreSQL); yields its settings."""
    monkeypatch.setenv("KRING_BACKUP_PASSPHRASE", PASSPHRASE)
    default = connections["default"]
    if default.vendor != "sqlite":
        yield default.settings_dict
        return
    default.ensure_connection()
    path = tmp_path / "live.sqlite3"
    copy = sqlite3.connect(path)
    default.connection.backup(copy)
    copy.close()
    memory, name = default.connection, default.settings_dict["NAME"]
    default.connection = None  # closing an in-memory database would destroy it
    default.settings_dict["NAME"] = str(path)
    try:
        yield default.settings_dict
    finally:
        default.close()
        default.settings_dict["NAME"] = name
        default.connection = memory


@pytest.fixture
def new_database(tmp_path):
    """Settings of a database that does not exist yet, on the same server as the test's."""
    made = []

    def make() -> dict:
        default = connections["default"].settings_dict
        if connection.vendor == "sqlite":
            return {**default, "NAME": str(tmp_path / f"restored-{len(made)}.sqlite3")}
        made.append(f"{default['NAME']}_copy_{secrets.token_hex(3)}")
        return {**default, "NAME": made[-1]}

    yield make
    if not made:
        return
    # With the databases a restore kept aside (NAME_before_...) or left (none: it drops them).
    server = {**connections["default"].settings_dict, "NAME": "postgres"}
    with backups.using(server) as alias, connections[alias].cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%_copy_%"])
        names = [row[0] for row in cursor.fetchall() if row[0].startswith(tuple(made))]
    for name in names:
        backups._pg_admin(connections["default"].settings_dict, f'DROP DATABASE "{name}"')


def _rows(database: dict, table: str) -> list[tuple]:
    with backups.using(database) as alias, connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connections[alias].ops.quote_name(table)} ORDER BY 1")  # noqa: S608 (a table name from introspection, quoted)
        return [tuple(row) for row in cursor.fetchall()]


def _tables(database: dict) -> set[str]:
    with backups.using(database) as alias:
        return set(connections[alias].introspection.table_names())


def _audit_count(database: dict) -> int:
    return len(_rows(database, "audit_auditevent"))


def _write(writer: int, counts: list[int], backed_up: threading.Event, stop: list[int], errors):
    """One writer: a user and the audit row that names it, in one transaction, again and
    again until AFTER more have committed after the backup ended."""
    try:
        n = 0
        while not halt.is_set() and (stop[writer] < 0 or counts[writer] < stop[writer]):
            with transaction.atomic():
                user = User.objects.create(username=f"writer-{writer}-{n}")
                record("case.viewed", data={"writer": writer, "n": n, "user": user.pk})
            n += 1
            with progress:
                counts[writer] = n
                if backed_up.is_set() and stop[writer] < 0:
                    stop[writer] = n + AFTER
                progress.notify_all()
    except Exception as error:  # reported to the test, which fails with it
        errors.append(repr(error))
        with progress:
            progress.notify_all()
    finally:
        connections.close_all()


progress = threading.Condition()
halt = threading.Event()  # the test failed: the writers stop


def test_a_backup_during_8_writers_restores_everything_up_to_its_moment(
    live_database, new_database, tmp_path
):
    counts, stop, errors = [0] * WRITERS, [-1] * WRITERS, []
    backed_up = threading.Event()
    threads = [
        threading.Thread(target=_write, args=(w, counts, backed_up, stop, errors))
        for w in range(WRITERS)
    ]
    halt.clear()
    file = tmp_path / "kring.backup"
    try:
        for thread in threads:
            thread.start()
        with progress:
            assert progress.wait_for(lambda: errors or min(counts) >= BEFORE, timeout=120)
        assert not errors
        call_command("backup", str(file))
        backed_up.set()
    finally:
        if not backed_up.is_set():
            halt.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600

    target = new_database()
    call_command("restore", str(file), "--into", _url(target))
    if connection.vendor == "sqlite":
        assert stat.S_IMODE(Path(target["NAME"]).stat().st_mode) == 0o600

    source = live_database
    copy_chain = _rows(target, "audit_auditevent")
    moment = max(row[_column(target, "audit_auditevent", "seq")] for row in copy_chain)
    seq = _column(source, "audit_auditevent", "seq")
    source_chain = [row for row in _rows(source, "audit_auditevent") if row[seq] <= moment]
    # Written during the backup: some before its moment, some after it.
    assert len(copy_chain) >= WRITERS * BEFORE
    assert len(_rows(source, "audit_auditevent")) >= len(copy_chain) + WRITERS * AFTER
    assert copy_chain == source_chain
    # Nothing half: every user in the copy has its audit row there, and every audit row its user.
    data = _column(target, "audit_auditevent", "data")
    named = {_user_id(row[data]) for row in copy_chain} - {None}
    username = _column(source, "accounts_user", "username")
    source_users = [
        row
        for row in _rows(source, "accounts_user")
        if not row[username].startswith("writer-") or row[0] in named
    ]
    assert _rows(target, "accounts_user") == source_users
    assert len(named) >= WRITERS * BEFORE
    # Every other table as it is in the source.
    assert _tables(target) == _tables(source)
    for table in _tables(source) - {"audit_auditevent", "accounts_user"}:
        assert _rows(target, table) == _rows(source, table), table
    with backups.using(target) as alias:
        assert chain.verify(using=alias).ok


def _column(database: dict, table: str, name: str) -> int:
    with backups.using(database) as alias, connections[alias].cursor() as cursor:
        columns = connections[alias].introspection.get_table_description(cursor, table)
    return [column.name for column in columns].index(name)


def _user_id(data) -> int | None:
    import json

    value = json.loads(data) if isinstance(data, str) else data
    return (value or {}).get("user")


def _url(database: dict) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )


@pytest.fixture
def restored(live_database, new_database, tmp_path):
    """A target restored from a first backup, and a second backup with 3 more audit rows."""
    record("case.viewed", data={"n": 1})
    first = tmp_path / "first.backup"
    call_command("backup", str(first))
    target = new_database()
    call_command("restore", str(first), "--into", _url(target))
    for n in range(3):
        record("case.viewed", data={"n": n + 2})
    second = tmp_path / "second.backup"
    call_command("backup", str(second))
    return target, second


def _refused(file: Path, target: dict, message: str) -> None:
    before = _rows(target, "audit_auditevent")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(file), "--into", _url(target))
    assert _rows(target, "audit_auditevent") == before


def test_a_sound_backup_replaces_the_target(restored):
    target, second = restored
    before = _audit_count(target)
    call_command("restore", str(second), "--into", _url(target))
    assert _audit_count(target) == before + 3


def test_a_wrong_passphrase_is_refused_and_the_target_is_unchanged(restored, monkeypatch):
    target, second = restored
    monkeypatch.setenv("KRING_BACKUP_PASSPHRASE", PASSPHRASE + " but wrong")
    _refused(second, target, "the passphrase is wrong")


def test_a_truncated_backup_is_refused_and_the_target_is_unchanged(restored, tmp_path):
    target, second = restored
    cut = tmp_path / "cut.backup"
    data = second.read_bytes()
    cut.write_bytes(data[: len(data) - 100])
    _refused(cut, target, "cut off")
    # Cut exactly between two parts (after the first): still refused, as no part is the last.
    whole = tmp_path / "whole.backup"
    plain = b"x" * (backups.CHUNK + 10)
    with whole.open("wb") as out:
        sealer = backups._Sealer(out, {"format": 1, "vendor": "sqlite"}, PASSPHRASE)
        sealer.write(plain)
        sealer.close()
    data = whole.read_bytes()
    header = len(backups.MAGIC) + 4 + int.from_bytes(data[8:12], "big")
    first_part = 4 + int.from_bytes(data[header : header + 4], "big")
    with whole.open("rb") as source:
        head, aad = backups.read_header(source)
        assert b"".join(backups._open(source, head, aad, PASSPHRASE)) == plain
    cut.write_bytes(data[: header + first_part])
    with cut.open("rb") as source, pytest.raises(backups.BackupError, match="cut off"):
        head, aad = backups.read_header(source)
        list(backups._open(source, head, aad, PASSPHRASE))


def test_a_copy_with_a_changed_audit_row_is_refused_and_the_target_is_unchanged(restored, tmp_path):
    target, _ = restored
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'case.taken_on' WHERE seq = "
            "(SELECT MAX(seq) FROM audit_auditevent)"
        )
        if connection.vendor != "sqlite":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    tampered = tmp_path / "tampered.backup"
    call_command("backup", str(tampered))
    _refused(tampered, target, "audit log is broken at row")


def test_a_backup_never_overwrites_a_file_and_needs_a_passphrase(
    live_database, tmp_path, monkeypatch
):
    existing = tmp_path / "there.backup"
    existing.write_bytes(b"keep")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"keep"
    monkeypatch.setenv("KRING_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="at least 20 characters"):
        call_command("backup", str(tmp_path / "new.backup"))
    assert not (tmp_path / "new.backup").exists()
    assert not (tmp_path / "new.backup.partial").exists()


def test_a_backup_of_another_vendor_or_a_newer_kring_is_refused(restored, tmp_path):
    target, _ = restored
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    for name, header, message in (
        ("vendor", {"vendor": other, "migrations": []}, f"backup of a {other} database"),
        (
            "newer",
            {"vendor": connection.vendor, "migrations": ["audit.9999_from_the_future"]},
            "newer Kring",
        ),
    ):
        file = tmp_path / f"{name}.backup"
        with file.open("wb") as out:
            sealer = backups._Sealer(out, {"format": 1, **header}, PASSPHRASE)
            sealer.close()
        _refused(file, target, message)
