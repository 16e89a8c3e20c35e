"""`kring import-history FILE.csv [--create-teams] [--language nl|en]`: conferences from before
Kring, so the figures continue (issue 13, point 3; the file is described in
research.importing). Acts as the system. Prints what it added and what it skipped as imported
before; a file with any fault imports nothing: every fault goes to stderr (line, column, value,
reason) and the command exits with status 1. The faults and the summary are in the project's
language (settings.LANGUAGE_CODE: Dutch) unless --language says otherwise. The file's size is
checked before it is read: of a file larger than research.importing.MAX_FILE_BYTES no more than
one byte past the limit is read."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from kring.audit.actors import SYSTEM
from kring.research import importing


def fault_line(fault: importing.Fault) -> str:
    """One fault as one line of text."""
    if fault.line is None:
        return str(fault.reason)
    if not fault.column:
        return gettext("Line %(line)s: %(reason)s") % {
            "line": fault.line,
            "reason": fault.reason,
        }
    return gettext("Line %(line)s, column %(column)s, value “%(value)s”: %(reason)s") % {
        "line": fault.line,
        "column": fault.column,
        "value": fault.value,
        "reason": fault.reason,
    }


def _read(file: str) -> bytes:
    """The file's bytes, the size checked before reading: a file larger than the limit is read
    no further than one byte past it (enough for research.importing to refuse it)."""
    path = Path(file)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            # At most one byte past the limit, also when the file grew since stat.
            return handle.read(min(size, importing.MAX_FILE_BYTES) + 1)
    except OSError as error:
        raise CommandError(
            gettext("Cannot read %(file)s: %(error)s")
            % {"file": file, "error": error.strerror or error}
        ) from error


class Command(BaseCommand):
    help = "Import conferences from before Kring (a CSV file) for the figures."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8, with a header row)")
        parser.add_argument(
            "--create-teams",
            action="store_true",
            help="make the teams the file names that do not exist yet (else they are faults)",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"the language of the faults and the summary (default: {settings.LANGUAGE_CODE})",
        )

    def handle(self, *args, file: str, create_teams: bool, language: str, **options):
        with translation.override(language):
            data = _read(file)
            result = importing.read(data, by=SYSTEM, create_teams=create_teams)
            if not result.ok:
                for fault in result.faults:
                    self.stderr.write(fault_line(fault))
                if result.more_faults:
                    self.stderr.write(
                        gettext("Faults not listed here: %(count)s.")
                        % {"count": result.more_faults}
                    )
                raise CommandError(
                    gettext("Faults in the file: %(count)s. Nothing was imported.")
                    % {"count": result.fault_count}
                )
            done = importing.run(result, by=SYSTEM)
            for line in importing.summary(result, done):
                self.stdout.write(line)
