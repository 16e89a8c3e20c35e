"""The audit log becomes a hash chain (issue 14 point 1, docs/adr/0012-audit-chain.md).

The rows already there are linked in the order they were written (at, id). The append-only
triggers of 0002 refuse the UPDATE that fills the new columns, so they are dropped around it
in this same migration (one transaction on both databases), and made again after. New
triggers on both databases let a row in only at the head of the chain, linked to it; on
SQLite one more refuses REPLACE and upserts (a REPLACE deletes the old row without firing the
DELETE trigger unless recursive_triggers is on)."""

import importlib

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


def _link_existing_rows(apps, schema_editor):
    """Fill seq, prev_hash and hash of the rows there are, in the order they were written,
    with the append-only triggers out of the way for the moment."""
    from kring.audit import chain

    vendor = schema_editor.connection.vendor
    drop = {"sqlite": _append_only.SQLITE_REVERSE, "postgresql": _append_only.POSTGRES_REVERSE}
    for sql in drop.get(vendor, []):
        schema_editor.execute(sql)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    seq, prev = 0, chain.GENESIS
    fields = [name for name in chain.FIELDS if name != "seq"]
    with schema_editor.connection.cursor() as cursor:
        for pk, *values in AuditEvent.objects.order_by("at", "id").values_list("id", *fields):
            seq += 1
            row = dict(zip(fields, values, strict=True), seq=seq)
            hash_ = chain.link(prev, row)
            cursor.execute(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [seq, prev, hash_, pk],
            )
            prev = hash_


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
