"""`kring grant-app-role`: the application role gets exactly what it needs, and no more."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles exist only on PostgreSQL"
    ),
]

ROLE = "kring_test_app"
AUDIT = "audit_auditevent"


@pytest.fixture
def app_role():
    """A role made inside the test's transaction: it is gone again when the test ends."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    return ROLE


def grant(role: str) -> str:
    out = io.StringIO()
    call_command("grant-app-role", role, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def query(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def tables() -> list[str]:
    return [
        name
        for (name,) in query(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    ]


def privileges(role: str, table: str) -> set[str]:
    names = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    return {
        name
        for name in names
        if query("SELECT has_table_privilege(%s, %s, %s)", [role, table, name])[0][0]
    }


def refused(role: str, sql: str) -> bool:
    """Run `sql` as `role`; true when PostgreSQL refuses it for lack of privilege."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
            cursor.execute(sql)
    except DatabaseError as error:
        return "permission denied" in str(error) or "must be owner" in str(error)
    return False


def test_the_app_role_may_read_and_write_every_table_but_append_only_on_the_audit_log(app_role):
    grant(app_role)
    assert AUDIT in tables()
    for table in tables():
        expected = {"SELECT", "INSERT", "UPDATE", "DELETE"}
        if table == AUDIT:
            expected = {"SELECT", "INSERT"}
        elif table == "django_migrations":
            expected = {"SELECT"}
        assert privileges(app_role, table) == expected, table
    for (sequence,) in query(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
    ):
        assert query("SELECT has_sequence_privilege(%s, %s, 'USAGE')", [app_role, sequence])[0][0]
        assert not query("SELECT has_sequence_privilege(%s, %s, 'UPDATE')", [app_role, sequence])[
            0
        ][0]
    assert query("SELECT has_schema_privilege(%s, current_schema(), 'USAGE')", [app_role])[0][0]
    assert not query(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
        [app_role],
    )[0][0]


def test_the_app_role_cannot_change_the_audit_log_truncate_or_alter(app_role):
    grant(app_role)
    assert not refused(app_role, "SELECT count(*) FROM audit_auditevent")
    assert refused(app_role, "UPDATE audit_auditevent SET action = action")
    assert refused(app_role, "DELETE FROM audit_auditevent")
    for table in tables():
        assert refused(app_role, f'TRUNCATE "{table}"'), table
    assert refused(app_role, f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL")
    assert refused(app_role, "DROP TABLE accounts_team")
    assert (
        refused(app_role, "CREATE TABLE kring_intruder (id int)")
        or not query("SELECT has_schema_privilege(%s, current_schema(), 'CREATE')", [app_role])[0][
            0
        ]
    )


def test_it_is_idempotent_and_takes_back_what_was_granted_by_hand(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT ALL ON {AUDIT} TO {app_role}")
    first = grant(app_role)
    assert grant(app_role) == first
    assert privileges(app_role, AUDIT) == {"SELECT", "INSERT"}


def test_it_refuses_a_role_that_does_not_exist_or_could_do_everything(app_role):
    with pytest.raises(CommandError, match="does not exist"):
        grant("kring_nobody_here")
    with pytest.raises(CommandError, match="not a plain role name"):
        grant('kring"; DROP TABLE x; --')
    owner = query("SELECT current_user")[0][0]
    with pytest.raises(CommandError, match="must not own"):
        grant(owner)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT {connection.ops.quote_name(owner)} TO {app_role}")
    with pytest.raises(CommandError, match="must not own"):
        grant(app_role)
