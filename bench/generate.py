"""Generate N cases for the benchmark, fast, and a signed-in session for coordinator carla.

    DJANGO_SETTINGS_MODULE=bench.settings_bench KRING_DATABASE_URL=... \
        .venv/bin/python -m bench.generate --cases 100000 --out facts.json

Run by bench/run.py against a freshly migrated, empty database. The cases come from
kring.demo.generate (the same generator as `kring generate`): every state of the lifecycle,
teams of coordinators with about 40 cases each, and carla with a realistic caseload whatever N
is, so that Mijn zaken and her case page show the same amount of data with 1,000 and with
100,000 cases: what grows is everything around them. This wrapper adds what run.py needs: the
measured case, the URLs, and a signed-in session for carla.
"""

import argparse
import json
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int)
    parser.add_argument(
        "--facts-from",
        help="generate nothing: the database is a copy of a stored generation whose facts are "
        "in this file (bench/databases.py); add its URLs and a new session",
    )
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--out", required=True, help="write the facts run.py needs here (JSON)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if (args.cases is None) == (args.facts_from is None):
        parser.error("give --cases N or --facts-from FILE")

    import django

    django.setup()
    from kring.demo.generate import NotEmpty, NotForRealData, Progress, analyze, generate

    if args.facts_from:
        with open(args.facts_from, encoding="utf-8") as fh:
            facts = json.load(fh)
        return _write_facts(facts, args.out)
    try:
        facts = generate(
            args.cases,
            seed=args.seed,
            progress=Progress(args.cases, label=f"generate {args.cases:,}", quiet=args.quiet),
            fast_sqlite=True,
        )
    except NotEmpty:
        print(
            "generate: the database is not empty; run.py starts from a fresh one", file=sys.stderr
        )
        return 1
    except NotForRealData as refused:
        # Run with DJANGO_SETTINGS_MODULE=bench.settings_bench (as run.py does).
        print(f"generate: {refused}", file=sys.stderr)
        return 1
    analyze()
    return _write_facts(facts, args.out)


def _write_facts(facts: dict, out: str) -> int:
    """The generator's facts with what run.py needs: the measured case's reference, the URLs,
    carla's caseload and a new signed-in session for her."""
    from django.conf import settings
    from django.urls import reverse

    from kring.cases.models import Case
    from kring.demo.generate import signed_in_session

    measured = Case.objects.select_related("referral", "coordinator").get(pk=facts["measured_case"])
    carla = measured.coordinator
    facts.update(
        measured_reference=measured.reference,
        paths={
            "bare": reverse("bench-bare"),
            "my_cases": reverse("cases:my_cases"),
            "case": reverse("cases:detail", args=[measured.pk]),
            "request_form": reverse("referrals:new"),
        },
        carla_cases=Case.objects.filter(coordinator=carla).count(),
        session_cookie=settings.SESSION_COOKIE_NAME,
        session_key=signed_in_session(carla),
    )
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(facts, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
