"""The audit log becomes a hash chain (issue 14 point 1, docs/adr/0012-audit-chain.md).

The rows already there are linked in the order they were written (at, id). The append-only
triggers of 0002 refuse the UPDATE that fills the new columns, so they are dropped around it
in this same migration (one transaction on both databases), and made again after. New
triggers on both databases let a row in only at the head of the chain, linked to it; on
SQLite one more refuses REPLACE and upserts (a REPLACE deletes the old row without firing the
DELETE trigger unless recursive_triggers is on).

The rows are read in chunks (a server-side cursor on PostgreSQL) and their links written a chunk
at a time (one UPDATE ... FROM (VALUES ...) on PostgreSQL, executemany on SQLite). The hash is
computed with a copy of kring.audit.chain's FIELDS and canonical content as they were when this
migration was written: the historical model has these columns only, whatever FIELDS becomes
later (a test compares the copy with kring.audit.chain, so that a change is noticed)."""

import hashlib
import importlib
import ipaddress
import json
from datetime import UTC

from django.db import migrations, models

_append_only = importlib.import_module("kring.audit.migrations.0002_append_only_triggers")

SQLITE = [
    # Before the conflict is resolved: INSERT OR REPLACE, REPLACE and ON CONFLICT DO UPDATE
    # all fire BEFORE INSERT first.
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent
       WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER audit_event_chain_head BEFORE INSERT ON audit_auditevent
       WHEN NEW.seq IS NOT (COALESCE((SELECT MAX(seq) FROM audit_auditevent), 0) + 1)
         OR NEW.prev_hash IS NOT COALESCE(
           (SELECT hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1),
           '0000000000000000000000000000000000000000000000000000000000000000')
       BEGIN SELECT RAISE(ABORT, 'audit log: a row goes in only at the head of the chain'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_replace;",
    "DROP TRIGGER IF EXISTS audit_event_chain_head;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_event_chain_head() RETURNS trigger AS $$
       DECLARE head_seq bigint; head_hash varchar(64);
       BEGIN
         SELECT seq, hash INTO head_seq, head_hash FROM audit_auditevent
           ORDER BY seq DESC LIMIT 1;
         IF NEW.seq IS DISTINCT FROM COALESCE(head_seq, 0) + 1
            OR NEW.prev_hash IS DISTINCT FROM COALESCE(head_hash, repeat('0', 64)) THEN
           RAISE EXCEPTION 'audit log: a row goes in only at the head of the chain';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql VOLATILE;""",
    """CREATE TRIGGER audit_event_chain_head BEFORE INSERT ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_chain_head();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_chain_head ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_chain_head();",
]


# Rows read and written per round trip (a test lowers it to go through several chunks).
CHUNK = 2000
GENESIS = "0" * 64
# kring.audit.chain.FIELDS when the chain began: frozen, the historical model has these only.
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


def _canonical_ip(value):
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:
        return value


def content(values):
    """kring.audit.chain.content as it was when the chain began (frozen with FIELDS)."""
    doc = {name: values[name] for name in FIELDS}
    doc["at"] = doc["at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    doc["ip"] = _canonical_ip(doc["ip"])
    doc["data"] = json.loads(json.dumps(doc["data"] or {}))
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def link(prev_hash, values):
    return hashlib.sha256(prev_hash.encode() + content(values)).hexdigest()


def _write_links(cursor, vendor, links):
    """Set (seq, prev_hash, hash) of the rows in `links`: [(id, seq, prev_hash, hash), ...]."""
    if not links:
        return
    if vendor == "postgresql":
        # Only placeholders are joined into the statement; the values go as parameters.
        rows = ", ".join(["(%s::bigint, %s::bigint, %s::varchar, %s::varchar)"] * len(links))
        sql = (
            "UPDATE audit_auditevent AS event SET seq = link.seq, prev_hash = link.prev_hash, "  # noqa: S608
            f"hash = link.hash FROM (VALUES {rows}) AS link (id, seq, prev_hash, hash) "
            "WHERE event.id = link.id"
        )
        cursor.execute(sql, [value for row in links for value in row])
    else:
        cursor.executemany(
            "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [(seq, prev_hash, hash_, pk) for pk, seq, prev_hash, hash_ in links],
        )


def _link_existing_rows(apps, schema_editor):
    """Fill seq, prev_hash and hash of the rows there are, in the order they were written,
    with the append-only triggers out of the way for the moment."""
    vendor = schema_editor.connection.vendor
    drop = {"sqlite": _append_only.SQLITE_REVERSE, "postgresql": _append_only.POSTGRES_REVERSE}
    for sql in drop.get(vendor, []):
        schema_editor.execute(sql)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    seq, prev = 0, GENESIS
    fields = [name for name in FIELDS if name != "seq"]
    rows = AuditEvent.objects.order_by("at", "id").values_list("id", *fields)
    links = []
    # The UPDATEs change no column of the order (at, id): on SQLite, whose reads in chunks see
    # the connection's own writes, no row is met twice or skipped.
    with schema_editor.connection.cursor() as cursor:
        for pk, *values in rows.iterator(chunk_size=CHUNK):
            seq += 1
            hash_ = link(prev, dict(zip(fields, values, strict=True), seq=seq))
            links.append((pk, seq, prev, hash_))
            prev = hash_
            if len(links) >= CHUNK:
                _write_links(cursor, vendor, links)
                links = []
        _write_links(cursor, vendor, links)


def _make_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Made again: the table was rebuilt (which drops its triggers) or they were dropped.
        for sql in _append_only.SQLITE_REVERSE + _append_only.SQLITE + SQLITE_REVERSE + SQLITE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in _append_only.POSTGRES + POSTGRES:
            schema_editor.execute(sql)


def _drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in POSTGRES_REVERSE:
            schema_editor.execute(sql)


def _unlink(apps, schema_editor):
    """Backwards: the chain columns go; the append-only triggers must let the null-out pass."""
    vendor = schema_editor.connection.vendor
    drop = {"sqlite": _append_only.SQLITE_REVERSE, "postgresql": _append_only.POSTGRES_REVERSE}
    for sql in drop.get(vendor, []):
        schema_editor.execute(sql)


def _relink_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    make = {"sqlite": _append_only.SQLITE, "postgresql": _append_only.POSTGRES}
    for sql in make.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actors_and_data")]

    operations = [
        migrations.CreateModel(
            name="ChainCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                ("full", models.BooleanField(default=False)),
                ("ok", models.BooleanField()),
                ("verified_up_to_seq", models.BigIntegerField(blank=True, null=True)),
                ("head_hash", models.CharField(blank=True, max_length=64)),
                ("first_broken_seq", models.BigIntegerField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, max_length=20)),
            ],
            options={"get_latest_by": ("at", "pk")},
        ),
        migrations.RunPython(migrations.RunPython.noop, _relink_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(_link_existing_rows, _unlink),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.RunPython(_make_triggers, _drop_triggers),
    ]
