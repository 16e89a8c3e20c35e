"""`kring grant-app-role ROLE`: give the application's database role exactly what it needs.

Run with the owner's connection (KRING_DATABASE_URL set to the owner role's URL for this one
command), after every `kring migrate`: a migration may add tables, and a new table belongs to the
owner alone until this command grants it. Running it twice changes nothing.

The application role gets, in the current schema:
- USAGE on the schema (never CREATE);
- SELECT, INSERT, UPDATE, DELETE on every table, except the audit log (SELECT, INSERT: it is
  append-only) and Django's migration record (SELECT: only `migrate`, as the owner, writes it);
- USAGE, SELECT on every sequence;
and nothing else: every other privilege it held on these tables (TRUNCATE, REFERENCES,
TRIGGER, UPDATE on a sequence) is revoked. It must not own anything nor be a superuser, nor a
member of the owner role: then it could ALTER, TRUNCATE or drop the audit log's triggers, and
the command refuses.
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# By app label and model, not by import: kring.core sits below every other app.
APPEND_ONLY = {("audit", "AuditEvent")}
READ_ONLY = {"django_migrations"}
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _privileges(table: str, append_only: set[str]) -> str:
    if table in READ_ONLY:
        return "SELECT"
    if table in append_only:
        return "SELECT, INSERT"
    return "SELECT, INSERT, UPDATE, DELETE"


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role exactly the privileges Kring needs (run as the "
        "owner, after every migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application role, e.g. kring_app")

    def handle(self, *args, role: str, **options):
        from django.apps import apps

        if connection.vendor != "postgresql":
            raise CommandError("grant-app-role is for PostgreSQL; SQLite has no roles.")
        if not ROLE_NAME.match(role):
            raise CommandError(f"{role!r} is not a plain role name (lower case, digits, _).")
        append_only = {apps.get_model(label, model)._meta.db_table for label, model in APPEND_ONLY}
        quoted = connection.ops.quote_name(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, pg_has_role(%s, current_user, 'MEMBER'), current_user, "
                "current_schema() FROM pg_roles WHERE rolname = %s",
                [role, role],
            )
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"The role {role} does not exist: create it first.")
            superuser, member_of_owner, owner, schema = row
            if role == owner or member_of_owner:
                raise CommandError(
                    f"{role} is (a member of) the role this command runs as ({owner}): the "
                    "application role must not own the tables. Run this as the owner role."
                )
            if superuser:
                raise CommandError(f"{role} is a superuser: it could do anything.")
            cursor.execute(
                "SELECT c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S') "
                "ORDER BY c.relname"
            )
            relations = cursor.fetchall()
            schema_q = connection.ops.quote_name(schema)
            cursor.execute(f"GRANT USAGE ON SCHEMA {schema_q} TO {quoted}")
            cursor.execute(f"REVOKE CREATE ON SCHEMA {schema_q} FROM {quoted}")
            tables = sequences = 0
            for name, kind in relations:
                target = connection.ops.quote_name(name)
                if kind == "S":
                    cursor.execute(f"REVOKE ALL ON SEQUENCE {target} FROM {quoted}")
                    cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {target} TO {quoted}")
                    sequences += 1
                else:
                    cursor.execute(f"REVOKE ALL ON TABLE {target} FROM {quoted}")
                    privileges = _privileges(name, append_only)
                    cursor.execute(f"GRANT {privileges} ON TABLE {target} TO {quoted}")
                    tables += 1
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            (can_create,) = cursor.fetchone()
        self.stdout.write(
            f"{role}: granted on {tables} tables and {sequences} sequences in schema {schema}."
        )
        if can_create:
            self.stderr.write(
                f"Warning: {role} may still CREATE in schema {schema} (through PUBLIC): run "
                f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC as its owner (PostgreSQL 15 and "
                "newer do not grant it)."
            )
