"""No two live bookings of a venue, or of a coordinator, overlap (issue 9, point 4; ADR 0008).

PostgreSQL: two exclusion constraints over tstzrange(starts_at, ends_at), with btree_gist for
the equality of the venue or coordinator id. SQLite has no exclusion constraints: there the
booking's transaction (BEGIN IMMEDIATE) serialises writers, and scheduling.booking checks
before it inserts. The constraints are not in the model's Meta because Django would try to
create them on SQLite too; this migration is a no-op there."""

from django.db import migrations

CONSTRAINTS = {
    "booking_venue_no_overlap": "venue_id",
    "booking_coordinator_no_overlap": "coordinator_id",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE scheduling_booking ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            f"WHERE (released_at IS NULL AND {column} IS NOT NULL)"
        )


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_booking DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(add_constraints, remove_constraints, elidable=False)]
