"""Encrypted backups that a restore checks before it replaces anything (issue 14 point 9,
docs/deployment.md "Backups").

`backup` takes a consistent copy while Kring runs (SQLite's online backup API in one step, which
reads one snapshot; `pg_dump --format=custom` on PostgreSQL, which reads in one transaction) and
encrypts it as it is written. `restore` decrypts into a scratch database, checks it there (its
audit chain verifies, its migrations are known to this code), and only then replaces the
target.

The file: `KRINGBAK`, a 4-byte length, a JSON header in clear (format, vendor, time, the
applied migrations, the key derivation's salt and costs), then chunks of at most CHUNK bytes,
each sealed with AES-256-GCM (the `cryptography` library) under a key derived from
KRING_BACKUP_PASSPHRASE with scrypt. Each chunk's nonce holds its number and a flag for the
last chunk, and the header is authenticated with every chunk: chunks cannot be reordered,
dropped, or cut off at the end, and the header cannot be changed, without the restore
refusing. Nothing here is a crypto primitive of its own.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from kring.audit import chain

MAGIC = b"KRINGBAK"
FORMAT = 1
CHUNK = 1 << 20
MAX_HEADER = 1 << 20
# scrypt's costs: 64 MiB and about a quarter of a second per backup or restore.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 16, 8, 1
MIN_PASSPHRASE = 20

Progress = Callable[[int], None]


class BackupError(Exception):
    """Refused, with a message for the operator; nothing was replaced."""


def vendor_of(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def database_from_url(url: str) -> dict[str, Any]:
    """A database's settings from a URL, as KRING_DATABASE_URL is read."""
    from kring.settings import _database

    return _database(url)


def _check_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"KRING_BACKUP_PASSPHRASE must be at least {MIN_PASSPHRASE} characters long."
        )
    return passphrase.encode()


def _key(passphrase: str, kdf: dict[str, Any]) -> AESGCM:
    try:
        salt = bytes.fromhex(kdf["salt"])
        scrypt = Scrypt(salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"]))
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("This is not a Kring backup, or its header was changed.") from error
    return AESGCM(scrypt.derive(_check_passphrase(passphrase)))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", number) + (b"\x01" if last else b"\x00")


class _Sealer:
    """Writes the header, then the data in sealed chunks; `close` seals the last one."""

    def __init__(self, out: IO[bytes], header: dict[str, Any], passphrase: str) -> None:
        kdf: dict[str, Any] = {"name": "scrypt", "salt": os.urandom(16).hex()}
        kdf |= {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
        self.prefix = os.urandom(7)
        header = {**header, "kdf": kdf, "nonce_prefix": self.prefix.hex(), "chunk": CHUNK}
        raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        self.aead = _key(passphrase, kdf)
        self.aad = MAGIC + raw
        self.out = out
        self.buffer = bytearray()
        self.number = 0
        out.write(MAGIC + struct.pack(">I", len(raw)) + raw)

    def write(self, data: bytes) -> None:
        self.buffer += data
        # Keep at least one byte back: the last chunk, sealed as last, is written by close().
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]

    def close(self) -> None:
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()

    def _seal(self, data: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.number, last), data, self.aad)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1


def read_header(source: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    """The header of a backup and the bytes that every chunk authenticates."""
    start = source.read(len(MAGIC) + 4)
    if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
        raise BackupError("This is not a Kring backup (or it is cut off at the start).")
    (size,) = struct.unpack(">I", start[len(MAGIC) :])
    raw = source.read(size) if size <= MAX_HEADER else b""
    try:
        header = json.loads(raw)
    except ValueError as error:
        raise BackupError("This is not a Kring backup, or its header was changed.") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This backup is in a format this version of Kring does not read.")
    return header, MAGIC + raw


def _open(
    source: IO[bytes], header: dict[str, Any], aad: bytes, passphrase: str
) -> Iterator[bytes]:
    """The decrypted data, chunk by chunk; refuses a wrong passphrase, a changed or reordered
    chunk, and a file cut short (no chunk sealed as the last one)."""
    aead = _key(passphrase, header.get("kdf") or {})
    try:
        prefix = bytes.fromhex(header["nonce_prefix"])
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("This is not a Kring backup, or its header was changed.") from error
    limit = int(header.get("chunk", CHUNK)) + 16
    number = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise BackupError("The backup is cut off: it ends before its last part.")
        (size,) = struct.unpack(">I", size_bytes)
        sealed = source.read(size) if size <= limit else b""
        if size > limit or len(sealed) < size:
            raise BackupError("The backup is cut off or damaged.")
        for last in (False, True):
            try:
                data = aead.decrypt(_nonce(prefix, number, last), sealed, aad)
                break
            except InvalidTag:
                continue
        else:
            if number == 0:
                raise BackupError(
                    "The backup cannot be opened: the passphrase is wrong, or the file was changed."
                )
            raise BackupError(f"The backup was changed or damaged (in part {number + 1}).")
        yield data
        number += 1
        if last:
            if source.read(1):
                raise BackupError("The backup has data after its last part: it was changed.")
            return


def _private_file(path: Path) -> IO[bytes]:
    """A new file only its owner can read (0600), refused if it exists."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _copy(source: IO[bytes], sink: Callable[[bytes], Any], progress: Progress | None) -> None:
    done = 0
    while block := source.read(CHUNK):
        sink(block)
        done += len(block)
        if progress is not None:
            progress(done)


@contextmanager
def using(database: dict[str, Any]) -> Iterator[str]:
    """A database alias for the length of the block, in this thread (a restore's scratch
    copy, a target), so that the ORM can read it: `Model.objects.using(alias)`."""
    alias = f"kring_backup_{secrets.token_hex(4)}"
    # configure_settings fills in Django's defaults; it wants a default among what it is given.
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(database), alias: database})
    wrapper = load_backend(database["ENGINE"]).DatabaseWrapper(configured[alias], alias)
    # Set on the handler's thread-local store, not in its settings: an alias of this block
    # only, which connections.all() and close_all() do not see.
    setattr(connections._connections, alias, wrapper)  # type: ignore[attr-defined]
    try:
        yield alias
    finally:
        wrapper.close()
        delattr(connections._connections, alias)  # type: ignore[attr-defined]


def _applied(alias: str) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _unknown_migrations(applied: list[str]) -> list[str]:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    return [migration for migration in applied if migration not in known]


# PostgreSQL: the client programs, and how they connect.


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: in KRING_PG_BIN_DIR if set, else on PATH, else the newest
    /usr/lib/postgresql/*/bin (Debian's server packages put them there)."""
    configured = getattr(settings, "KRING_PG_BIN_DIR", "")
    if configured:
        candidate = Path(configured) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupError(f"{name} is not in KRING_PG_BIN_DIR ({configured}).")
    found = shutil.which(name)
    if found:
        return found
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: [int(part) for part in folder.parent.name.split(".") if part.isdigit()],
    )
    for folder in reversed(folders):
        if os.access(folder / name, os.X_OK):
            return str(folder / name)
    raise BackupError(f"{name} not found: install postgresql-client or set KRING_PG_BIN_DIR.")


def _pg_env(database: dict[str, Any], name: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": name or database["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[variable] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return env


def _pg_admin(database: dict[str, Any], *statements: str) -> None:
    """Statements that must run outside the database they concern (CREATE, ALTER, DROP
    DATABASE), from the server's `postgres` database."""
    import psycopg

    params: dict[str, Any] = {"dbname": "postgres", "autocommit": True}
    for key, param in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if database.get(key):
            params[param] = database[key]
    with psycopg.connect(**params) as admin:
        for statement in statements:
            admin.execute(statement)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Backup.


def backup(
    path: Path,
    passphrase: str,
    *,
    database: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write an encrypted, consistent copy of the database (Kring's own unless given) to
    `path`, a new file (0600). Returns the header. A failed backup leaves no file."""
    _check_passphrase(passphrase)
    database = database or connections[DEFAULT_DB_ALIAS].settings_dict
    vendor = vendor_of(database)
    partial = path.with_name(path.name + ".partial")
    if path.exists():
        raise BackupError(f"{path} exists already; a backup never overwrites a file.")
    with using(database) as alias:
        applied = _applied(alias)
    header = {
        "format": FORMAT,
        "vendor": vendor,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "migrations": applied,
    }
    try:
        with _private_file(partial) as out:
            sealer = _Sealer(out, header, passphrase)
            if vendor == "sqlite":
                _sqlite_dump(database, sealer, progress)
            else:
                _pg_dump(database, sealer, progress)
            sealer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return header


def _sqlite_dump(database: dict[str, Any], sealer: _Sealer, progress: Progress | None) -> None:
    with tempfile.TemporaryDirectory(prefix="kring-backup-") as folder:  # 0700
        copy = Path(folder) / "copy.sqlite3"
        source = sqlite3.connect(database["NAME"], timeout=database["OPTIONS"].get("timeout", 20))
        target = sqlite3.connect(copy)
        try:
            # In one step: one read transaction, so one snapshot however many write meanwhile
            # (in steps, every write by another connection would restart the copy).
            source.backup(target)
        finally:
            target.close()
            source.close()
        with copy.open("rb") as plain:
            _copy(plain, sealer.write, progress)


def _pg_dump(database: dict[str, Any], sealer: _Sealer, progress: Progress | None) -> None:
    command = [pg_program("pg_dump"), "--format=custom", "--no-password"]
    with tempfile.TemporaryFile() as errors:
        dump = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env=_pg_env(database)
        )
        assert dump.stdout is not None
        _copy(dump.stdout, sealer.write, progress)
        if dump.wait() != 0:
            errors.seek(0)
            raise BackupError("pg_dump failed: " + errors.read().decode(errors="replace").strip())


# Restore.


def restore(
    path: Path,
    passphrase: str,
    *,
    into: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> str:
    """Check the backup at `path` in a scratch database and, when it is sound, replace the
    target (Kring's database unless given) with it. Raises BackupError, with nothing replaced,
    when the passphrase is wrong, the file is cut off or changed, the vendor differs, its
    migrations are newer than this code, or its audit log does not verify."""
    target = into or connections[DEFAULT_DB_ALIAS].settings_dict
    vendor = vendor_of(target)
    with path.open("rb") as source:
        header, aad = read_header(source)
        if header.get("vendor") != vendor:
            raise BackupError(
                f"This is a backup of a {header.get('vendor')} database; the target is {vendor}."
            )
        _refuse_newer(list(header.get("migrations") or []))
        with tempfile.TemporaryDirectory(prefix="kring-restore-") as folder:  # 0700
            plain = Path(folder) / "copy"
            with _private_file(plain) as out:
                done = 0
                for data in _open(source, header, aad, passphrase):
                    out.write(data)
                    done += len(data)
                    if progress is not None:
                        progress(done)
            if vendor == "sqlite":
                return _sqlite_restore(plain, target)
            return _pg_restore(plain, target)


def _refuse_newer(applied: list[str]) -> None:
    unknown = _unknown_migrations(applied)
    if unknown:
        raise BackupError(
            "The backup was made by a newer Kring: this code does not know its migrations "
            + ", ".join(unknown[:5])
            + ". Install that version first."
        )


def _check_copy(scratch: dict[str, Any]) -> chain.Result:
    with using(scratch) as alias:
        _refuse_newer(_applied(alias))
        result = chain.verify(using=alias)
    if not result.ok:
        raise BackupError(f"The backup's {result.message()[4:]}")
    return result


def _sqlite_restore(plain: Path, target: dict[str, Any]) -> str:
    check = sqlite3.connect(plain)
    try:
        sound = check.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The backup's database is damaged: {error}.") from error
    finally:
        check.close()
    if sound != ("ok",):
        raise BackupError("The backup's database is damaged (integrity check).")
    result = _check_copy({**target, "NAME": str(plain)})
    # The swap: SQLite's backup API writes the checked copy into the target in one
    # transaction (under its write lock), WAL and all; a new file is made if there is none.
    if not Path(target["NAME"]).exists():
        _private_file(Path(target["NAME"])).close()  # a new database: its owner's only (0600)
    source = sqlite3.connect(plain)
    destination = sqlite3.connect(target["NAME"], timeout=target["OPTIONS"].get("timeout", 20))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return f"Restored into {target['NAME']}: {result.message()}"


def _pg_restore(plain: Path, target: dict[str, Any]) -> str:
    name = target["NAME"]
    scratch = f"{name}_restore_{secrets.token_hex(4)}"[:63]
    _pg_admin(target, f"CREATE DATABASE {_quote(scratch)}")
    try:
        loaded = subprocess.run(
            [
                pg_program("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--no-password",
                "--dbname",
                scratch,
                str(plain),
            ],
            env=_pg_env(target, scratch),
            capture_output=True,
        )
        if loaded.returncode != 0:
            raise BackupError(
                "pg_restore failed: " + loaded.stderr.decode(errors="replace").strip()
            )
        result = _check_copy({**target, "NAME": scratch})
        kept = _swap(target, scratch)
    except BaseException:
        _pg_admin(target, f"DROP DATABASE IF EXISTS {_quote(scratch)}")
        raise
    before = (
        f" The database it replaced is kept as {kept}: drop it once you are sure." if kept else ""
    )
    return f"Restored into {name}: {result.message()}{before}"


def _swap(target: dict[str, Any], scratch: str) -> str | None:
    """Rename the target aside (kept) and the checked copy into its place. Nobody may be
    connected to the target: stop Kring first."""
    name = target["NAME"]
    for connection in connections.all(initialized_only=True):
        if connection.settings_dict.get("NAME") == name:
            connection.close()
    kept = f"{name}_before_{datetime.now(UTC):%Y%m%d%H%M%S}"[:63]
    try:
        _pg_admin(target, f"ALTER DATABASE {_quote(name)} RENAME TO {_quote(kept)}")
    except Exception as error:
        if "does not exist" not in str(error):
            raise BackupError(
                f"The database {name} cannot be renamed aside (is Kring still connected to it? "
                f"Stop it first): {error}"
            ) from error
        kept = ""
    try:
        _pg_admin(target, f"ALTER DATABASE {_quote(scratch)} RENAME TO {_quote(name)}")
    except BaseException:
        if kept:
            _pg_admin(target, f"ALTER DATABASE {_quote(kept)} RENAME TO {_quote(name)}")
        raise
    return kept or None
