"""`kring generate --cases N [--seed S] [--out facts.json] [--append] [--quiet]`: fill the
database with N realistic synthetic cases through every state (kring.demo.generate), for
benchmarks and demos. Refuses a database that already has cases unless --append, and refuses
to run at all unless KRING_DEMO_MODE or KRING_DEBUG is on or the settings are the benchmark's
(kring.demo.generate.may_generate): synthetic answers would spoil real figures."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from kring.demo.generate import (
    NOT_FOR_REAL_DATA,
    NotEmpty,
    NotForRealData,
    Progress,
    analyze,
    generate,
    may_generate,
)


class Command(BaseCommand):
    help = "Fill the database with N synthetic cases through every state (benchmarks, demos)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="how many cases")
        parser.add_argument("--seed", type=int, default=2, help="the same seed, the same data")
        parser.add_argument("--out", help="write the facts (counts, carla, ...) here as JSON")
        parser.add_argument(
            "--append", action="store_true", help="add to a database that already has cases"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, cases, seed, out, append, quiet, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1")
        if not may_generate():
            raise CommandError(NOT_FOR_REAL_DATA)
        progress = Progress(cases, stream=sys.stderr, quiet=quiet)
        try:
            facts = generate(cases, seed=seed, append=append, progress=progress, fast_sqlite=True)
        except (NotEmpty, NotForRealData) as e:
            raise CommandError(str(e)) from e
        analyze()
        if out:
            with open(out, "w", encoding="utf-8") as fh:
                json.dump(facts, fh)
        rate = facts["cases_generated"] / facts["seconds"] if facts["seconds"] else 0
        self.stdout.write(
            f"generated {facts['cases_generated']:,} cases in {facts['seconds']:.1f} s "
            f"({rate:,.0f} cases/s); the database now has {facts['cases']:,} cases"
        )
