"""The benchmarks' databases: migrated and filled by bench/generate.py, fresh for every run or
generated once and kept in a store (issue 15, point 4).

Generating a million cases takes one to two hours on a machine of two CPUs; measuring the pages
over them takes minutes. With `--store` (bench/run.py and bench/cpu.py), each (database, number
of cases) is generated once into `var/bench/store/` and every run measures a copy of it: a copy
of the SQLite file, or on PostgreSQL a database made from the stored one as its template
(`CREATE DATABASE … TEMPLATE`), in a cluster kept in the store. The copy is migrated (a later
commit may have added migrations) and gets a new signed-in session, so that what a run changes
(the audit rows of its reads, bench/cpu_pages.py's poll and plan) never reaches the stored data.

The store keeps the benchmark's secret key and field keys too (`keys.json`): the generated TOTP
devices are sealed with them. A stored database is used only if it was made by the same
generator (`src/kring/demo/generate.py` and the seed); otherwise the run stops and says so:
`--regenerate` makes it again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "var" / "bench" / "store"
GENERATOR = ROOT / "src" / "kring" / "demo" / "generate.py"
SEED = 2


class BenchError(RuntimeError):
    """A benchmark step failed; the scripts print it and stop everything they started."""


def new_keys() -> dict:
    return {
        "secret_key": secrets.token_urlsafe(50),
        "field_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


class Store:
    """Generated databases kept between runs, under `root` (default var/bench/store/)."""

    def __init__(self, root: Path = STORE, *, regenerate: bool = False):
        self.root = root
        self.regenerate = regenerate
        root.mkdir(parents=True, exist_ok=True)

    def keys(self) -> dict:
        path = self.root / "keys.json"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(json.dumps(new_keys()), encoding="utf-8")
        return json.loads(path.read_text(encoding="utf-8"))

    @property
    def postgres_data(self) -> Path:
        return self.root / "postgres"

    def marker(self, db: str, n: int) -> Path:
        return self.root / f"{db}-{n}.json"

    def usable(self, db: str, n: int, say: Callable[[str], None]) -> dict | None:
        """The stored generation's facts, or None if it must be (re)generated."""
        path = self.marker(db, n)
        if not path.exists():
            return None
        stored = self.record(db, n)
        if stored["generator"] != generator_fingerprint():
            if not self.regenerate:
                raise BenchError(
                    f"the stored {db} database of {n:,} cases ({path.parent}) was made by "
                    "another version of the generator; --regenerate makes it again"
                )
            say(f"{db} {n:,}: the stored database is from another generator: generate again")
            return None
        if self.regenerate:
            return None
        return stored

    def record(self, db: str, n: int) -> dict:
        return json.loads(self.marker(db, n).read_text(encoding="utf-8"))

    def mark(self, db: str, n: int, facts: dict) -> None:
        record = {
            "generator": generator_fingerprint(),
            "made": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "facts": facts,
        }
        self.marker(db, n).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    def forget(self, db: str, n: int) -> None:
        self.marker(db, n).unlink(missing_ok=True)


def generator_fingerprint() -> str:
    digest = hashlib.sha256(GENERATOR.read_bytes())
    digest.update(f"seed={SEED}".encode())
    return digest.hexdigest()[:16]


def _commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip()


def run_checked(args, *, env, what: str) -> None:
    """Run a step of a benchmark in the repository, or raise BenchError."""
    out = subprocess.run(args, env=env, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise BenchError(f"{what} failed (exit {out.returncode})")


def _migrate(env) -> None:
    run_checked(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], env=env, what="migrate"
    )


def _generate(n: int, out: Path, env) -> dict:
    run_checked(
        [sys.executable, "-m", "bench.generate", "--cases", str(n), "--seed", str(SEED),
         "--out", str(out)],
        env=env,
        what="generate",
    )  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))


def _facts_for_copy(generated: dict, out: Path, env) -> dict:
    """The stored generation's facts with this copy's URLs and a new signed-in session."""
    source = out.with_name("generated.json")
    source.write_text(json.dumps(generated), encoding="utf-8")
    run_checked(
        [sys.executable, "-m", "bench.generate", "--facts-from", str(source), "--out", str(out)],
        env=env,
        what="the copy's facts",
    )
    return json.loads(out.read_text(encoding="utf-8"))


def fresh_database(
    db: str,
    n: int,
    *,
    work: Path,
    cluster,
    env_for: Callable[[str], dict],
    store: Store | None,
    say: Callable[[str], None] = print,
) -> tuple[dict, dict]:
    """A database of `n` generated cases for one run: (its environment, its facts).

    Without a store: a new database, migrated and generated. With one: a copy of the stored
    generation (generated first if there is none), migrated, with a new session. The facts are
    also written to `work/facts.json`."""
    label = f"{db} {n:,}"
    work.mkdir(parents=True, exist_ok=True)
    facts_path = work / "facts.json"
    if store is None:
        if db == "sqlite":
            url = f"sqlite:///{work / 'kring.sqlite3'}"
        else:
            url = cluster.create_database(f"kring_{n}")
        env = env_for(url)
        say(f"{label}: migrate")
        _migrate(env)
        say(f"{label}: generate {n:,} cases")
        began = time.monotonic()
        facts = _generate(n, facts_path, env)
        say(f"{label}: generated in {time.monotonic() - began:.0f} s")
        return env, facts

    stored = ensure_stored(db, n, cluster=cluster, env_for=env_for, store=store, say=say)
    if db == "sqlite":
        base = store.root / f"sqlite-{n}.sqlite3"
        copy = work / "kring.sqlite3"
        say(f"{label}: copy the stored database ({base.stat().st_size / 2**30:.1f} GiB)")
        shutil.copyfile(base, copy)
        url = f"sqlite:///{copy}"
    else:
        say(f"{label}: copy the stored database (base_{n} as the template of run_{n})")
        cluster.drop_database(f"run_{n}")
        url = cluster.create_database(f"run_{n}", template=f"base_{n}")
    env = env_for(url)
    say(f"{label}: migrate the copy")
    _migrate(env)
    facts = _facts_for_copy(stored["facts"], facts_path, env)
    return env, facts


def ensure_stored(
    db: str, n: int, *, cluster, env_for: Callable[[str], dict], store: Store, say
) -> dict:
    """The store's generation of `n` cases on `db` (made now if there is none): its record."""
    label = f"{db} {n:,}"
    stored = store.usable(db, n, say)
    if stored is not None:
        return stored
    store.forget(db, n)
    facts_out = store.root / f"{db}-{n}.facts.json"
    if db == "sqlite":
        base = store.root / f"sqlite-{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{base}{suffix}").unlink(missing_ok=True)
        env = env_for(f"sqlite:///{base}")
    else:
        base = f"base_{n}"
        cluster.drop_database(base)
        env = env_for(cluster.create_database(base))
    say(f"{label}: migrate the store's database ({base})")
    _migrate(env)
    say(f"{label}: generate {n:,} cases into the store (once; a million take an hour or two)")
    began = time.monotonic()
    if db == "sqlite":
        generated = _generate(n, facts_out, env)
        with sqlite3.connect(base) as conn:  # everything in the one file, to copy it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        cluster.restart(loading=True)
        try:
            generated = _generate(n, facts_out, env)
        finally:
            cluster.restart()  # a clean shutdown writes everything; then the defaults
    generated.pop("session_key", None)  # each copy gets its own; none is kept in the store
    facts_out.write_text(json.dumps(generated), encoding="utf-8")
    store.mark(db, n, generated)
    say(f"{label}: generated in {time.monotonic() - began:.0f} s")
    return store.record(db, n)


def drop_copy(
    db: str, n: int, *, work: Path, cluster, store: Store | None, keep: bool = False
) -> None:
    """Remove a run's copy of a stored database (the store keeps the original), unless `keep`."""
    if store is None or keep:
        return
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work / 'kring.sqlite3'}{suffix}").unlink(missing_ok=True)
    elif cluster is not None:
        cluster.drop_database(f"run_{n}")


def chown_for_postgres(path: Path) -> None:
    """A data directory the server (run as `postgres` when we are root) may own."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres")
    os.chmod(path, 0o700)


def main(argv=None) -> int:
    """Fill the store only: `bench/databases.py --cases 1000000 --db sqlite postgres`."""
    import argparse

    from bench.run import Processes, kring_env, start_cluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, nargs="+", required=True)
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--store", type=Path, default=STORE)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    store = Store(args.store, regenerate=args.regenerate)
    procs = Processes()
    work = store.root / "prepare"
    try:
        for db in args.db:
            cluster = None
            if db == "postgres":
                cluster = start_cluster(store, procs)
            for n in args.cases:
                ensure_stored(
                    db,
                    n,
                    cluster=cluster,
                    env_for=lambda url: kring_env(work, url, store.keys()),
                    store=store,
                    say=lambda text: print(text, flush=True),
                )
    except BenchError as exc:
        print(f"databases: {exc}", file=sys.stderr)
        return 1
    finally:
        procs.stop_all()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"stored in {store.root}: " + ", ".join(p.name for p in sorted(store.root.glob("*.json")))
    )
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
