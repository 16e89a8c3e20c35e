"""Helpers for PostgreSQL-only concurrency tests: wait for a database condition, never a time."""


def another_backend_waits_on_a_lock(cursor) -> bool:
    """Whether another connection to this database now waits on a lock (pg_stat_activity,
    read afresh: the statistics snapshot is cleared first)."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    return bool(cursor.fetchone()[0])
