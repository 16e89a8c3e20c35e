"""The audit log's hash chain (issue 14 point 1, docs/adr/0012-audit-chain.md).

Every row carries `seq` (its place: 1, 2, 3 ... one chain per installation), `prev_hash` (the
hash of row seq-1; GENESIS for row 1) and `hash` = sha256(prev_hash + canonical content). The
canonical content is the JSON of FIELDS with sorted keys and no whitespace: the time as UTC ISO
with microseconds, ids as numbers or null, the address as its bytes in hex (one spelling
whatever the database prints), `data` as stored (after a JSON round trip). The row's own id
is not in it: `seq` is the row's identity in the chain.

`append` writes a row under the chain's lock; `verify` walks the chain in order of seq, in
batches (constant memory), and returns the first broken link; `check` runs a walk from the
last sound head (or from the start) and stores its result (ChainCheck); `anchor` writes the
head as a log line and to a file, for the operator to keep outside the database.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone

from kring.audit.models import AuditEvent, ChainCheck

logger = logging.getLogger("kring.audit")

GENESIS = "0" * 64
# Every column but the id and the links, in a fixed order (a test keeps it complete).
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "actor_kind",
    "actor_participant_id",
    "for_participant_id",
    "team_id",
    "case_id",
    "action",
    "object_type",
    "object_id",
    "ip",
    "data",
)
# PostgreSQL: the advisory lock that serialises the writers of the chain (any fixed number;
# this one spells "kringaud").
LOCK_KEY = 0x6B72696E67617564
ANCHOR_FILE = "audit-anchors.jsonl"
BATCH = 2000

# What a walk found wrong, by code (ChainCheck.reason), in the operator's words (the command's
# output is English; the access log says only that the log was tampered with).
CHANGED = "changed"
MISSING = "missing"
LINK = "link"
REWRITTEN = "rewritten"
REASONS = {
    CHANGED: "its content no longer matches its hash: the row was changed",
    MISSING: "the row is missing: it was removed",
    LINK: "it does not link to the row before it: a row was inserted, removed or moved here",
    REWRITTEN: "it no longer matches the last check: the rows up to here were rewritten or removed",
}


def _canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:  # not an address (a proxy header's garbage): as written
        return value


def _canonical_at(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content(values: dict[str, Any]) -> bytes:
    """The canonical JSON of one row's FIELDS, from a dict or the attributes of a row."""
    doc = {name: values[name] for name in FIELDS}
    doc["at"] = _canonical_at(doc["at"])
    doc["ip"] = _canonical_ip(doc["ip"])
    # As stored: a JSON round trip turns tuples into lists and number keys into strings.
    doc["data"] = json.loads(json.dumps(doc["data"] or {}))
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def link(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + content(values)).hexdigest()


def row_hash(row: AuditEvent) -> str:
    """What the hash of a row read from the database must be."""
    return link(row.prev_hash, {name: getattr(row, name) for name in FIELDS})


def head() -> tuple[int, str]:
    """The last row's seq and hash; (0, GENESIS) for an empty log."""
    # Plain SQL: the ORM's query building costs more than the read on the unique index.
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last is not None else (0, GENESIS)


def lock() -> None:
    """Serialise the writers of the chain until the end of the outer transaction. On SQLite
    Kring's transactions are IMMEDIATE (settings: DATABASES' transaction_mode): a transaction
    holds the database's write lock from its start, so there is nothing to add."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def append(values: dict[str, Any]) -> AuditEvent:
    """Insert one row at the head of the chain, in the caller's transaction (or one of its
    own). The time is taken under the lock, so the chain's order is the order of `at`
    within one clock (tests may pass an `at` of their own)."""
    # No savepoint inside the caller's transaction: a failed insert fails that transaction.
    with transaction.atomic(savepoint=False):
        lock()
        seq, prev_hash = head()
        values = {"at": timezone.now(), **values, "seq": seq + 1}
        return AuditEvent.objects.create(
            prev_hash=prev_hash, hash=link(prev_hash, values), **values
        )


class Chainer:
    """Links rows made in bulk (the generator): `start()` in the inserting transaction, then
    `link(values)` for each row in the order of insertion, which gives its seq and hashes."""

    def __init__(self) -> None:
        self.seq, self.hash = 0, GENESIS

    def start(self) -> None:
        lock()
        self.seq, self.hash = head()

    def link(self, values: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        prev_hash, self.hash = self.hash, link(self.hash, {**values, "seq": self.seq})
        return {"seq": self.seq, "prev_hash": prev_hash, "hash": self.hash}


@dataclass
class Result:
    ok: bool
    verified_up_to_seq: int  # the last sound row (0: none)
    head_hash: str
    rows: int  # rows read
    first_broken_seq: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"The audit log verifies: {self.rows} rows read, sound up to row {self.verified_up_to_seq}."
        return (
            f"The audit log is broken at row {self.first_broken_seq}: "
            f"{REASONS[self.reason]}. Sound up to row {self.verified_up_to_seq}."
        )


def _rows(after: int, using: str) -> Iterator[AuditEvent]:
    while True:
        rows = AuditEvent.objects.using(using).filter(seq__gt=after)
        batch = list(rows.order_by("seq", "id")[:BATCH])
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].seq


def verify(
    *,
    start: tuple[int, str] | None = None,
    known_head: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Result:
    """Walk the chain from row 1 (or from the sound row `start` = (seq, hash)) to its head and
    return the first broken link. `known_head` is a head found sound before (the last check):
    it must still be there, with the same hash. `using`: another database (a restore checks
    its copy before it replaces anything)."""
    seq, prev = start if start is not None else (0, GENESIS)
    rows = 0

    def broken(at: int, reason: str) -> Result:
        return Result(False, seq, prev, rows, at, reason)

    if start is not None:
        # The checkpoint itself first: a walk from it is sound only if it is still there.
        row = AuditEvent.objects.using(using).filter(seq=seq).first()
        if row is None or row.hash != prev or row_hash(row) != prev:
            reason = MISSING if row is None else CHANGED if row.hash == prev else REWRITTEN
            return Result(False, seq - 1, "", rows, seq, reason)
    for row in _rows(seq, using):
        rows += 1
        if progress is not None and rows % 10000 == 0:
            progress(rows)
        if row.seq != seq + 1:
            return broken(seq + 1, MISSING if row.seq > seq + 1 else LINK)
        if row.prev_hash != prev:
            return broken(row.seq, LINK)
        if row_hash(row) != row.hash:
            return broken(row.seq, CHANGED)
        if known_head is not None and row.seq == known_head[0] and row.hash != known_head[1]:
            return broken(row.seq, REWRITTEN)
        seq, prev = row.seq, row.hash
    if known_head is not None and seq < known_head[0]:
        return broken(seq + 1, MISSING)
    return Result(True, seq, prev, rows)


def known_head() -> tuple[int, str] | None:
    """The head (seq, hash) that the latest sound check reached; None before any row was."""
    last = (
        ChainCheck.objects.filter(ok=True, verified_up_to_seq__gt=0)
        .order_by("-at", "-pk")
        .values_list("verified_up_to_seq", "head_hash")
        .first()
    )
    return (int(last[0]), last[1]) if last is not None and last[0] is not None else None


def check(*, full: bool, progress: Callable[[int], None] | None = None) -> ChainCheck:
    """Walk the chain (in full, or from the last sound check) and store the result."""
    known = known_head()
    if full or known is None:
        result = verify(known_head=known, progress=progress)
    else:
        result = verify(start=known, progress=progress)
    return ChainCheck.objects.create(
        at=timezone.now(),
        full=full,
        ok=result.ok,
        verified_up_to_seq=result.verified_up_to_seq,
        head_hash=result.head_hash,
        first_broken_seq=result.first_broken_seq,
        reason=result.reason,
    )


def anchor() -> dict[str, Any]:
    """Write the chain's head where the database cannot change it: a line on the logger
    `kring.audit` (shipped off the machine with the rest of the logs; the portable anchor when
    several processes share no disk) and a line appended to KRING_VAR_DIR/audit-anchors.jsonl."""
    seq, hash_ = head()
    line = {"at": _canonical_at(timezone.now()), "seq": seq, "hash": hash_}
    logger.info("audit chain head: seq=%s hash=%s", seq, hash_)
    path = Path(settings.VAR_DIR) / ANCHOR_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as anchors:
            anchors.write(json.dumps(line, separators=(",", ":")) + "\n")
    except OSError as error:  # the log line is the anchor that always works
        logger.warning("audit chain head not written to %s: %s", path, error.strerror)
    return line
