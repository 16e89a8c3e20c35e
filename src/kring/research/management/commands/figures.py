"""`kring figures --from YYYY-MM-DD --to YYYY-MM-DD [--team NAME] --format json|csv`: the
figures of a period (R16, issue 13 point 4), as on the figures page: one JSON object
(research.figures.as_json) or the same as a CSV table (research.figures.as_rows) on stdout.

Periods are whole calendar months (research.figures.Selection): --from is taken as the first day
of its month, --to as the last day of its month, and the JSON's `from` and `to` say the days
used. Both days are included. Without --team, every team (--team is matched whatever its
capitals). Labels and reasons in the project's language (Dutch) unless --language says
otherwise. Imported and live conferences count alike;
a figure from fewer than five conferences or answers is null (JSON) or empty (CSV), with its
reason. Bad input (a date that is not one or lies outside research.figures.FIRST_DAY and
LAST_DAY, --from after --to, a team that does not exist) is an error on stderr with a non-zero exit code, and nothing on stdout.

`kring figures --rebuild` makes the figures' summary again from the rows (research.summary,
docs/adr/0017-figures-summary.md) and says so on stderr; with --from and --to it then prints
the figures as above. The summary keeps itself up to date; a rebuild is for data written
around Kring's actions (the generator calls it itself)."""

import csv
import json
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation


def _day(value: str, option: str) -> date:
    from kring.research.figures import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CommandError(
            f"{option} {value} lies outside the days Kring counts: "
            f"from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}."
        )
    return day


class Command(BaseCommand):
    help = (
        "Print the figures of a period (conferences held, participants per conference, the "
        "shares of satisfied participants, the answers per role, the funnel) as JSON or CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (required)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (required)")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="make the figures' summary again from the rows first (--from and --to optional)",
        )
        parser.add_argument("--team", help="a team's name (default: every team)")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"the language of the labels and reasons (default: {settings.LANGUAGE_CODE})",
        )

    def handle(
        self,
        *args: str,
        start: str | None,
        end: str | None,
        rebuild: bool,
        team: str | None,
        format: str,
        language: str,
        **options: object,
    ) -> None:
        from kring.accounts.models import Team
        from kring.research.figures import Selection, as_json, as_rows, compute

        if rebuild:
            from kring.research import summary

            summary.rebuild()
            self.stderr.write("The figures' summary was made again from the rows.")
            if start is None and end is None:
                return
        if start is None or end is None:
            raise CommandError("Give both --from and --to.")
        first, last = _day(start, "--from"), _day(end, "--to")
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        team_ids = None
        if team is not None:
            found = Team.objects.filter(name__iexact=team).values_list("pk", flat=True).first()
            if found is None:
                names = ", ".join(Team.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"There is no team {team!r} (teams: {names}).")
            team_ids = (found,)
        with translation.override(language):
            figures = compute(Selection(first, last, team_ids))
            if format == "json":
                self.stdout.write(json.dumps(as_json(figures), ensure_ascii=False, indent=2))
                return
            writer = csv.writer(self.stdout, lineterminator="\n")
            for row in as_rows(figures):
                writer.writerow(["" if cell is None else cell for cell in row])
