"""The figures benchmark (issues 13 and 15): research.figures.compute for one year over N
generated cases, next to a bare query of the same rows, on the database of KRING_DATABASE_URL.

    .venv/bin/python bench/figures.py --cases 1000000                  # SQLite, a fresh file
    scripts/with-postgres.sh .venv/bin/python bench/figures.py --cases 1000000   # PostgreSQL

Not a timed test: it fills a fresh database with `kring generate` (kring.demo.generate, which
ends with a rebuild of the figures' summary), then times, each the median of --runs runs after
one warm-up:

- `compute(Selection(the last year))`: the figures from the summary (research.summary), nothing
  stale;
- the same after one case changed (one mark: the refresh of its buckets, then the read);
- `compute_raw(...)`: the same figures straight from the rows (what compute() did before
  issue 15);
- the bare queries (one plain SQL count and mean over the conference records of the year, one
  count per role over their answers);

and the rebuild of the whole summary (`summary.rebuild()`, once). It checks that compute() and
compute_raw() give the same figures. Prints a small table and writes
bench/results/figures-<database>.json. Without KRING_DATABASE_URL it makes a new SQLite file
under var/bench-figures/ (removed afterwards unless --keep).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

BARE_RECORDS = """
    SELECT count(*), avg(participants_present) FROM research_conferencerecord
    WHERE held_on BETWEEN %s AND %s
"""
BARE_ANSWERS = """
    SELECT a.role, count(*), sum(CASE WHEN a.satisfied >= 4 THEN 1 ELSE 0 END)
    FROM research_answer a JOIN research_conferencerecord r ON r.id = a.record_id
    WHERE r.held_on BETWEEN %s AND %s AND a.round = 1
    GROUP BY a.role
"""


def timed(fn, runs: int) -> tuple[float, list[float], object]:
    """Median milliseconds of `runs` calls after one warm-up, every run, and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), times, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--store",
        nargs="?",
        const=ROOT / "var" / "bench" / "store",
        type=Path,
        help="measure a copy of the stored generation of --cases (bench/databases.py; default "
        "var/bench/store) instead of generating",
    )
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="sqlite", help="with --store"
    )
    args = parser.parse_args(argv)
    copy = _stored_copy(args) if args.store else None
    try:
        return _measure(args, copy)
    finally:
        if copy is not None:
            _drop_stored_copy(copy)


def _measure(args, copy: dict | None) -> int:
    work = copy["work"] if copy is not None else None
    if copy is None and not os.environ.get("KRING_DATABASE_URL"):
        work = ROOT / "var" / "bench-figures"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        os.environ["KRING_DATABASE_URL"] = f"sqlite:///{work / 'kring.sqlite3'}"
        os.environ.setdefault("KRING_VAR_DIR", str(work))
    # The benchmark's settings: Kring's own, and the generator may fill this database.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    os.environ.setdefault("KRING_SECRET_KEY", "figures-benchmark-" + "x" * 40)
    os.environ.setdefault("KRING_FIELD_KEYS", "ZmlndXJlcy1iZW5jaG1hcmstZmllbGQta2V5LTAwMDA=")
    os.environ.setdefault("KRING_DEBUG", "false")
    os.environ.setdefault("KRING_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # bench.settings_bench

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from kring.cases.models import Case
    from kring.demo.generate import Progress, analyze, generate
    from kring.research import figures, summary
    from kring.research.models import Answer, Bucket, ConferenceRecord, Stale

    vendor = connection.vendor
    began = time.monotonic()
    if copy is not None:
        facts = copy["facts"]
        began -= facts.get("seconds", 0)  # the generation's time, when the store was filled
    else:
        call_command("migrate", "--noinput", verbosity=0, skip_checks=True)
        facts = generate(
            args.cases,
            seed=args.seed,
            progress=Progress(args.cases, label=f"{vendor}: generate", quiet=args.quiet),
            fast_sqlite=True,
        )
        analyze()
    generated_s = time.monotonic() - began

    # The generator spreads the cases over the three years before it ran: a stored generation
    # is measured over the year before the day it was made, not before today.
    today = (
        datetime.fromisoformat(copy["made"]).astimezone(timezone.get_current_timezone()).date()
        if copy is not None
        else timezone.localdate()
    )
    start, end = today - timedelta(days=365), today
    selection = figures.Selection(start=start, end=end)

    def compute():
        return figures.compute(selection)

    def compute_raw():
        return figures.compute_raw(selection)

    # One case of the year changed: its mark, then the refresh of its buckets and the read.
    changed = (
        Case.objects.filter(referral__submitted_at__date__gte=start)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )

    def after_a_change():
        Stale.objects.create(case_id=changed)
        return figures.compute(selection)

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_RECORDS, [start, end])
            records = cursor.fetchone()
            cursor.execute(BARE_ANSWERS, [start, end])
            return records, cursor.fetchall()

    load_before = os.getloadavg()
    began = time.perf_counter()
    summary.rebuild()
    rebuild_ms = (time.perf_counter() - began) * 1000
    compute_ms, compute_runs, from_summary = timed(compute, args.runs)
    changed_ms, changed_runs, _ = timed(after_a_change, args.runs)
    raw_ms, raw_runs, from_rows = timed(compute_raw, args.runs)
    bare_ms, bare_runs, (records, answers) = timed(bare, args.runs)
    same = from_summary == from_rows
    queries = _each_query(connection, compute)
    raw_queries = _each_query(connection, compute_raw)
    buckets_in_year = Bucket.objects.filter(month__range=(selection.start, selection.end)).count()
    result = {
        "database": vendor,
        "database_version": _version(connection),
        "cases": facts["cases"],
        "conference_records": ConferenceRecord.objects.count(),
        "answers": Answer.objects.count(),
        "selection": {"from": start.isoformat(), "to": end.isoformat()},
        "records_in_year": records[0],
        "participants_mean_in_year": round(float(records[1] or 0), 2),
        "answers_in_year": {role: n for role, n, _agree in answers},
        "generate_seconds": round(generated_s, 1),
        # The generator's own rebuild at its end, and one more timed here.
        "generate_summary_seconds": facts.get("summary_seconds"),
        "rebuild_ms": round(rebuild_ms, 2),
        "buckets": Bucket.objects.count(),
        "buckets_in_year": buckets_in_year,
        "compute_ms_median": round(compute_ms, 2),
        "compute_ms_runs": [round(t, 2) for t in compute_runs],
        "after_a_change_ms_median": round(changed_ms, 2),
        "after_a_change_ms_runs": [round(t, 2) for t in changed_runs],
        "compute_raw_ms_median": round(raw_ms, 2),
        "compute_raw_ms_runs": [round(t, 2) for t in raw_runs],
        "summary_equals_rows": same,
        "bare_ms_median": round(bare_ms, 2),
        "bare_ms_runs": [round(t, 2) for t in bare_runs],
        "ratio": round(compute_ms / bare_ms, 2) if bare_ms else None,
        "ratio_raw": round(raw_ms / bare_ms, 2) if bare_ms else None,
        "compute_queries": queries,
        "compute_raw_queries": raw_queries,
        # The one-, five- and fifteen-minute load averages before and after the timings: on a
        # shared machine, how busy it was while they ran.
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "database_bytes": _size(connection),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"figures-{vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"\nResearch figures for one year over {result['cases']:,} generated cases ({vendor})")
    print(
        f"  conference records: {result['conference_records']:,} "
        f"({result['records_in_year']:,} in the year), answers: {result['answers']:,}"
    )
    print(f"  generated in {generated_s:,.0f} s")
    print(
        f"  summary: {result['buckets']:,} buckets ({buckets_in_year:,} in the year); "
        f"rebuilt in {rebuild_ms:,.0f} ms (by the generator: {facts.get('summary_seconds')} s)"
    )
    rows = [
        ("compute() (summary)", compute_ms, "compute_ms_runs"),
        ("compute() after a change", changed_ms, "after_a_change_ms_runs"),
        ("compute_raw() (rows)", raw_ms, "compute_raw_ms_runs"),
        ("bare queries", bare_ms, "bare_ms_runs"),
    ]
    for label, ms, runs in rows:
        print(f"  {label:<26} median {ms:9.1f} ms  runs {result[runs]}")
    print(f"  summary equals rows: {same}; written to {out.relative_to(ROOT)}")
    for name, each in (("compute()", queries), ("compute_raw()", raw_queries)):
        print(f"  {name}, each query:")
        for query in each:
            print(f"    {query['ms']:9.1f} ms  {query['sql']}")
    connection.close()
    if work is not None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


def _stored_copy(args) -> dict:
    """A copy of the store's generation (bench/databases.py), its settings in os.environ."""
    sys.path.insert(0, str(ROOT))
    from bench.databases import Store, fresh_database
    from bench.run import Processes, kring_env, start_cluster

    store = Store(args.store)
    work = ROOT / "var" / "bench-figures"
    shutil.rmtree(work, ignore_errors=True)
    procs = Processes()
    try:
        cluster = start_cluster(store, procs) if args.db == "postgres" else None
        env, facts = fresh_database(
            args.db,
            args.cases,
            work=work,
            cluster=cluster,
            env_for=lambda url: kring_env(work, url, store.keys()),
            store=store,
        )
    except BaseException:
        procs.stop_all()
        raise
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith("KRING_") or k == "DJANGO_SETTINGS_MODULE"}
    )
    return {"work": work, "facts": facts, "cluster": cluster, "store": store, "db": args.db,
            "cases": args.cases, "procs": procs, "keep": args.keep,
            "made": store.record(args.db, args.cases)["made"]}  # fmt: skip


def _drop_stored_copy(copy: dict) -> None:
    from bench.databases import drop_copy

    try:
        drop_copy(copy["db"], copy["cases"], work=copy["work"], cluster=copy["cluster"],
                  store=copy["store"], keep=copy["keep"])  # fmt: skip
    finally:
        copy["procs"].stop_all()


def _each_query(connection, fn) -> list[dict]:
    """One more run of `fn`, with each query's milliseconds and the start of its SQL: where
    the time of the figures goes."""
    seen = []

    def timer(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - began) * 1000
            seen.append({"ms": round(ms, 2), "sql": " ".join(sql.split())[:160]})

    with connection.execute_wrapper(timer):
        fn()
    return seen


def _size(connection) -> int:
    """The database's size on disk in bytes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return int(pages * cursor.fetchone()[0])
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def _version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return str(cursor.fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
