"""Kring's CPU cost per request, in process (issue 15, point 1): every daily page and the new page
of each stage called through Django's WSGI handler as gunicorn calls it, in CPU milliseconds per
request, against the anonymous bare view in the same round.

    .venv/bin/python bench/cpu.py                                   # SQLite, 1,000 cases
    .venv/bin/python bench/cpu.py --db postgres                     # a throwaway cluster
    .venv/bin/python bench/cpu.py --profile my_cases case --no-doc  # where the time goes

For each database and number of cases: a fresh database, migrated and filled by
bench/generate.py (as bench/run.py does, with its pieces: kring_env, Postgres, Processes);
then a child Python process with the benchmark's production settings (bench/cpu_pages.py) finds
or adds each page's objects and identity, checks that every URL answers as a user expects,
warms up, and measures `--rounds` rounds of `--requests` requests per URL with
time.thread_time(), the bare view first in every round. Results go to the terminal, to
bench/results/cpu-<db>.json and to docs/benchmarks.md (between the cpu:results markers). With
`--profile`, cProfile runs over the named pages instead of the measurements. See
docs/benchmarks.md, "CPU per request, in process".
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpu_pages import KEYS, PAGES, profile_text
from bench.databases import BenchError, drop_copy, fresh_database, run_checked
from bench.run import (
    Processes,
    add_store_arguments,
    kring_env,
    open_store,
    start_cluster,
    versions,
    write_doc,
)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results"
BEGIN, END = "<!-- cpu:results:begin -->", "<!-- cpu:results:end -->"
PROFILE_BEGIN, PROFILE_END = "<!-- cpu:profile:begin -->", "<!-- cpu:profile:end -->"
# The columns of the profile table in the doc: own time of these groups (the rest is "other").
PROFILE_COLUMNS = [
    ("template rendering", "templates"),
    ("forms", "forms"),
    ("ORM", "ORM"),
    ("database driver", "driver"),
    ("translation", "translation"),
    ("URLs", "URLs"),
    ("Django helpers", "Django helpers"),
    ("Python built-ins", "built-ins"),
    ("Kring (views, policy, queries)", "Kring"),
]

# Issue 15, point 3: in CPU per request, in process, as a ratio to the anonymous bare view.
DAILY_LIMIT = 30.0
FORM_LIMIT = 10.0
SIGNED_IN_LIMIT = 3.0
FORM_KEYS = ("request_form", "request_form_invalid")


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def child_env(work: Path, database_url: str, keys: dict | None = None) -> dict:
    """bench/run.py's production settings, with this tree's src/ first on the path: a copy of
    the repository (another commit, a worktree) measures its own code."""
    env = kring_env(work, database_url, keys)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env["PYTHONPATH"]])
    return env


def run_config(db: str, n: int, *, work: Path, cluster, store, args) -> dict:
    label = f"{db} {n:,}"
    keys = store.keys() if store else None
    env, facts = fresh_database(
        db,
        n,
        work=work,
        cluster=cluster,
        env_for=lambda url: child_env(work, url, keys),
        store=store,
        say=lambda text: print(text, flush=True),
    )
    facts_path = work / "facts.json"
    python = sys.executable
    print(f"{label}: {facts['cases']:,} cases; carla has {facts['carla_cases']} cases", flush=True)
    out = work / "cpu.json"
    command = [
        python, "-m", "bench.cpu_pages", "--facts", str(facts_path), "--out", str(out),
        "--rounds", str(args.rounds), "--requests", str(args.requests),
        "--warmup", str(args.warmup), "--profile-requests", str(args.profile_requests),
    ]  # fmt: skip
    if args.only:
        command += ["--only", *args.only]
    if args.profile:
        command += ["--profile", *args.profile]
    before = load()
    print(
        f"{label}: {'profile' if args.profile else 'measure'} (load average {before})", flush=True
    )
    try:
        run_checked(command, env=env, what="the measurement (bench/cpu_pages.py)")
    finally:
        drop_copy(db, n, work=work, cluster=cluster, store=store, keep=args.keep)
    measured = json.loads(out.read_text())
    facts.pop("session_key", None)  # a credential, even if its database is gone
    return {
        "db": db,
        "cases": n,
        "facts": facts,
        "pages": measured["pages"],
        "profiles": measured["profiles"],
        "load": {"before": before, "after": load()},
    }


# --- reporting ------------------------------------------------------------------------------


def evaluate(config: dict) -> list[tuple[bool, str]]:
    """The targets of issue 15, point 3, in CPU per request: (met?, in words) for each."""
    pages = config["pages"]
    found = []

    def check(key: str, limit: float, what: str) -> None:
        if key not in pages:
            return
        ratio = pages[key]["ratio"]
        found.append(
            (
                ratio <= limit,
                f"{config['db']}, {config['cases']:,} cases: {pages[key]['label']} "
                f"{ratio:.1f}× the anonymous bare view (target ≤ {limit:g}×, {what})",
            )
        )

    check("bare_signed_in", SIGNED_IN_LIMIT, "signed in costs little")
    for key, _label, group in PAGES:
        if group == "daily":
            check(key, FORM_LIMIT if key in FORM_KEYS else DAILY_LIMIT, "a daily page")
    return found


def evaluate_flat(configs: list[dict], same_within: float = 0.2) -> list[tuple[bool, str]]:
    """Issue 15, point 4, for one database: each page's ratio to the bare view with the most
    cases within `same_within` of its ratio with the fewest, and the same number of queries."""
    if len(configs) < 2:
        return []
    small, large = sorted(configs, key=lambda c: c["cases"])[:: len(configs) - 1]
    found = []
    for key, page in large["pages"].items():
        before = small["pages"].get(key)
        if before is None or page["group"] == "bare":
            continue
        growth = page["ratio"] / before["ratio"] - 1
        found.append(
            (
                growth <= same_within and max(page["queries_seen"]) == max(before["queries_seen"]),
                f"{large['db']}: {page['label']} {page['ratio']:.1f}× the bare view with "
                f"{large['cases']:,} cases against {before['ratio']:.1f}× with "
                f"{small['cases']:,} ({growth:+.0%}, target ≤ +{same_within:.0%}); queries "
                f"{_queries(page)} against {_queries(before)}",
            )
        )
    return found


def _queries(page: dict) -> str:
    seen = sorted(set(page["queries_seen"]))
    return str(seen[0]) if len(seen) == 1 else f"{seen[0]}–{seen[-1]}"


def table(configs: list[dict]) -> str:
    lines = [
        "| database | cases | page | who | CPU median (ms) | CPU p90 (ms) | × anonymous bare "
        "| queries | wall median (ms) |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for config in configs:
        for key in KEYS:
            r = config["pages"].get(key)
            if r is None:
                continue
            seen = r["queries_seen"]
            queries = str(seen[0]) if len(seen) == 1 else "–".join(map(str, (seen[0], seen[-1])))
            lines.append(
                f"| {config['db']} | {config['cases']:,} | {r['label']} | {r['who']} | "
                f"{r['median_ms']:.2f} | {r['p90_ms']:.2f} | {r['ratio']:.1f} | {queries} | "
                f"{r['wall_median_ms']:.2f} |"
            )
    return "\n".join(lines)


def markdown(report: dict) -> str:
    m, a = report["machine"], report["arguments"]
    pg = f", PostgreSQL {report['postgres']}" if report.get("postgres") else ""
    lines = [
        f"Run on {report['finished'][:16].replace('T', ' ')} UTC, commit `{m['commit']}`, with:",
        "",
        "```sh",
        report["command"],
        "```",
        "",
        f"- Machine: {m['cpus']} CPUs ({m['cpu'] or 'unknown model'}), {m['memory']} memory, "
        f"{m['os']}; load average {report['load']['before']} before, "
        f"{report['load']['after']} after (on {m['cpus']} CPUs: above {m['cpus']}, processes "
        "queue for a CPU).",
        f"- Software: Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}{pg}.",
        f"- {a['rounds']} rounds of {a['requests']} requests per URL after {a['warmup']} "
        "requests of warm-up each; the figures are the medians over the rounds of each round's "
        "median, p90 and ratio to the anonymous bare view of the same round; queries: one "
        "request per round, counted outside the timed requests; wall: the same requests' "
        "elapsed time (on PostgreSQL it includes the server's work, which CPU does not).",
        "",
        table(report["configs"]),
        "",
        "Targets (issue 15, point 3):",
        "",
    ]
    for met, words in report["targets"]:
        lines.append(f"- {'met' if met else '**missed**'}: {words}")
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, nargs="+", default=[1000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--rounds", type=int, default=3, help="every URL once per round")
    parser.add_argument("--requests", type=int, default=300, help="per URL and round")
    parser.add_argument("--warmup", type=int, default=50, help="requests per URL, once")
    parser.add_argument(
        "--only", nargs="+", choices=KEYS, metavar="URLKEY", help="these URLs (and the bare view)"
    )
    parser.add_argument(
        "--profile",
        nargs="+",
        choices=[*KEYS, "all"],
        metavar="URLKEY",
        help=f"cProfile these URLs instead of measuring: {', '.join(KEYS)}, or all",
    )
    parser.add_argument("--profile-requests", type=int, default=200, help="requests profiled")
    add_store_arguments(parser)
    parser.add_argument("--keep", action="store_true", help="keep var/bench/ (databases, logs)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument(
        "--doc-only",
        action="store_true",
        help="measure nothing: write docs/benchmarks.md from bench/results/cpu-<db>.json",
    )
    return parser.parse_args(argv)


def write_results_doc() -> None:
    """The section between the cpu:results markers, from every database's last JSON: a run of
    one database keeps the other's section."""
    sections = [
        markdown(json.loads((RESULTS / f"cpu-{db}.json").read_text(encoding="utf-8")))
        for db in ("sqlite", "postgres")
        if (RESULTS / f"cpu-{db}.json").exists()
    ]
    write_doc(
        DOC,
        "\n".join(sections),
        begin=BEGIN,
        end=END,
        heading="## CPU per request, in process: the last run",
    )
    print(f"Written: {DOC.relative_to(ROOT)}")


def profile_markdown(report: dict) -> str:
    """Where each profiled page's CPU goes: own time by group, as shares of the page."""
    m = report["machine"]
    head = " | ".join(title for _g, title in PROFILE_COLUMNS)
    lines = [
        f"Profiled at commit `{m['commit']}` with:",
        "",
        "```sh",
        report["command"],
        "```",
        "",
        "Own time by group, as a share of each page's CPU under cProfile (a built-in's or a "
        "helper's time goes to its callers' groups; the profiler slows Python-heavy code most, "
        "so read shares, not milliseconds), and the number of queries made through the ORM:",
        "",
        f"| database | cases | page | {head} | other | ORM queries |",
        "|---|---:|---|" + "---:|" * (len(PROFILE_COLUMNS) + 2),
    ]
    for config in report["configs"]:
        for p in config["profiles"]:
            shares = {g["group"]: g["share"] for g in p["groups"]}
            known = [shares.get(group, 0.0) for group, _t in PROFILE_COLUMNS]
            cells = " | ".join(f"{share:.0%}" for share in known)
            entry = {e["what"]: e for e in p["entry_points"]}
            queries = entry.get("ORM: SQL built and run (execute_sql)", {}).get("calls", 0)
            lines.append(
                f"| {config['db']} | {config['cases']:,} | {p['label']} | {cells} | "
                f"{max(0.0, 1 - sum(known)):.0%} | {queries:.0f} |"
            )
    return "\n".join(lines) + "\n"


def write_profile_doc(db: str) -> None:
    path = RESULTS / f"cpu-profile-{db}.json"
    write_doc(
        DOC,
        profile_markdown(json.loads(path.read_text(encoding="utf-8"))),
        begin=PROFILE_BEGIN,
        end=PROFILE_END,
        heading="## CPU per request, in process: where the time goes",
    )
    print(f"Written: {DOC.relative_to(ROOT)}")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.doc_only:
        write_results_doc()
        return 0

    # SIGTERM ends the run like Ctrl-C does: through the finally that stops every process.
    def terminated(*_args):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    run_dir = ROOT / "var" / "bench" / f"cpu-{stamp}"
    run_dir.mkdir(parents=True)
    procs = Processes()
    store = open_store(args)
    configs: dict[str, list[dict]] = {}
    load_before = load()
    postgres_version = ""
    try:
        # Collected once: the manifest storage of production needs it (kring_env's
        # KRING_STATIC_ROOT is the parent of each configuration's directory).
        static_env = child_env(run_dir / "static-setup", "sqlite:///:memory:")
        (run_dir / "static-setup").mkdir()
        print("collectstatic", flush=True)
        run_checked(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"],
            env=static_env,
            what="collectstatic",
        )
        for db in args.db:
            cluster = None
            if db == "postgres":
                print("postgres: start a cluster", flush=True)
                cluster = start_cluster(store, procs)
                postgres_version = cluster.version
            for n in args.cases:
                work = run_dir / f"{db}-{n}"
                configs.setdefault(db, []).append(
                    run_config(db, n, work=work, cluster=cluster, store=store, args=args)
                )
            if cluster is not None:
                cluster.stop()
                procs.clusters.remove(cluster)
    except BenchError as exc:
        print(f"\ncpu: {exc}\ncpu: logs and databases kept in {run_dir}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ncpu: interrupted; logs and databases kept in {run_dir}", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
    if not args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)

    command = shlex.join(
        [".venv/bin/python", "bench/cpu.py", *(argv if argv is not None else sys.argv[1:])]
    )
    # A quick look (--no-doc) leaves the recorded results (and the doc made from them) alone.
    results = RESULTS if not args.no_doc else ROOT / "var" / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    if args.profile:
        for db, found in configs.items():
            path = results / f"cpu-profile-{db}.json"
            path.write_text(
                json.dumps({"command": command, "machine": versions(), "configs": found},
                           indent=1) + "\n", encoding="utf-8")  # fmt: skip
            text = results / f"cpu-profile-{db}.txt"
            text.write_text(
                "".join(profile_text(p) + "\n" for c in found for p in c["profiles"]),
                encoding="utf-8",
            )
            print(f"Written: {path.relative_to(ROOT)} and {text.relative_to(ROOT)}")
            if not args.no_doc:
                write_profile_doc(db)
        return 0
    for db, found in configs.items():
        report = {
            "command": command,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": versions(),
            "postgres": postgres_version if db == "postgres" else "",
            "load": {"before": load_before, "after": load()},
            "arguments": vars(args),
            "configs": found,
            "targets": [t for config in found for t in evaluate(config)] + evaluate_flat(found),
        }
        print()
        print(table(found))
        print()
        for met, words in report["targets"]:
            print(f"{'met   ' if met else 'MISSED'}: {words}")
        path = results / f"cpu-{db}.json"
        path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"Written: {path.relative_to(ROOT)}")
    if not args.no_doc:
        write_results_doc()
    return 0


if __name__ == "__main__":
    sys.exit(main())
