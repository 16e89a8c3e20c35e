"""R12 (docs/rules.md): a plan exists only from the meeting on, once the rounds are done. The
action (conference.editing.begin_plan) refuses earlier; this trigger refuses every other path
that writes to the database (the admin, an import, a script, a future API): a plan row whose
conference has no `rounds_done_at` is not inserted, a plan cannot be moved to another
conference, and a conference with a plan cannot lose its `rounds_done_at` or `started_at`
afterwards (which would leave a plan "before the rounds"). Both databases: SQLite (the embedded default) and PostgreSQL."""

from django.db import migrations

MESSAGE = "R12: no plan before the rounds of its conference are done"
KEPT = "R12: a conference with a plan keeps its start and the end of its rounds"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER conference_plan_after_rounds
    BEFORE INSERT ON conference_plan
    FOR EACH ROW
    WHEN (SELECT rounds_done_at FROM conference_conference WHERE id = NEW.conference_id) IS NULL
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """,
    f"""
    CREATE TRIGGER conference_plan_stays
    BEFORE UPDATE OF conference_id ON conference_plan
    FOR EACH ROW
    WHEN NEW.conference_id != OLD.conference_id
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """,
    f"""
    CREATE TRIGGER conference_keeps_rounds_done
    BEFORE UPDATE OF rounds_done_at, started_at ON conference_conference
    FOR EACH ROW
    WHEN (NEW.rounds_done_at IS NULL OR NEW.started_at IS NULL)
        AND EXISTS (SELECT 1 FROM conference_plan WHERE conference_id = OLD.id)
    BEGIN
        SELECT RAISE(ABORT, '{KEPT}');
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS conference_plan_after_rounds;",
    "DROP TRIGGER IF EXISTS conference_plan_stays;",
    "DROP TRIGGER IF EXISTS conference_keeps_rounds_done;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION conference_plan_after_rounds() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.conference_id = OLD.conference_id THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' OR (
            SELECT rounds_done_at FROM conference_conference WHERE id = NEW.conference_id
        ) IS NULL THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER conference_plan_after_rounds
    BEFORE INSERT OR UPDATE OF conference_id ON conference_plan
    FOR EACH ROW EXECUTE FUNCTION conference_plan_after_rounds();
    """,
    f"""
    CREATE FUNCTION conference_keeps_rounds_done() RETURNS trigger AS $$
    BEGIN
        IF (NEW.rounds_done_at IS NULL OR NEW.started_at IS NULL)
            AND EXISTS (SELECT 1 FROM conference_plan WHERE conference_id = OLD.id) THEN
            RAISE EXCEPTION '{KEPT}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER conference_keeps_rounds_done
    BEFORE UPDATE OF rounds_done_at, started_at ON conference_conference
    FOR EACH ROW EXECUTE FUNCTION conference_keeps_rounds_done();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS conference_keeps_rounds_done ON conference_conference;",
    "DROP FUNCTION IF EXISTS conference_keeps_rounds_done();",
    "DROP TRIGGER IF EXISTS conference_plan_after_rounds ON conference_plan;",
    "DROP FUNCTION IF EXISTS conference_plan_after_rounds();",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}[vendor]
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}[vendor]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("conference", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
