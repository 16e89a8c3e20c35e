"""`kring retention [--dry-run]` (issue 14, point 7; docs/data-retention.md): erase what the
privacy statement promises to erase, as the nightly task does (kring.privacy.retention.run).

With --dry-run: lists every case due (reference, why, due since), the counts per kind and the
mails whose content is due, and changes nothing. Without: erases each due case in its own
transaction (a run stopped halfway leaves the rest due for the next), then the old mails'
content, and says what it did. Exit code 0 when everything due was erased (or listed), 1 when a
case could not be erased (its id is logged; it stays due)."""

import sys
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from kring.privacy.models import ErasureReason


def _counts(due: Iterable[tuple[str, int]]) -> str:
    parts = [f"{ErasureReason(reason).label}: {n}" for reason, n in due if n]
    return f" ({', '.join(parts)})" if parts else ""


class Command(BaseCommand):
    help = "Erase the personal data whose retention period has passed (--dry-run: only list it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due; change nothing"
        )

    def handle(
        self, *args: str, dry_run: bool = False, verbosity: int = 1, **options: object
    ) -> None:
        from kring.privacy import retention

        tty = self.stderr.isatty()
        done = 0

        def on_case(due: retention.Due, erased: bool) -> None:
            nonlocal done
            done += 1
            label = ErasureReason(due.reason).label
            if dry_run:
                self.stdout.write(f"{due.reference}  {label}  due since {due.due_since}")
            elif verbosity >= 2:
                state = "erased" if erased else "NOT erased"
                self.stdout.write(f"{due.reference}  {label}  {state}")
            if tty and not dry_run:
                self.stderr.write(f"\r{done} cases ...", ending="")

        with translation.override("en"):
            if dry_run:
                self.stdout.write("Due for erasure (dry run: nothing is changed):")
            report = retention.run(dry_run=dry_run, on_case=on_case)
            if tty and done and not dry_run:
                self.stderr.write("")
            total = sum(report.due.values())
            counts = _counts((r, report.due[r]) for r in ErasureReason.values)
            if dry_run:
                self.stdout.write(f"Cases due: {total}{counts}")
                self.stdout.write(f"Mails whose content is due: {report.mails}")
                self.stdout.write("Nothing was changed (dry run).")
                return
            self.stdout.write(f"Cases erased: {report.erased} of {total} due{counts}")
            self.stdout.write(f"Mails emptied: {report.mails}")
            if report.failed:
                self.stderr.write(
                    f"{len(report.failed)} cases could not be erased (ids: "
                    f"{', '.join(map(str, report.failed[:20]))}); they stay due for the next "
                    "run. See the log (kring.privacy)."
                )
                sys.exit(1)
