"""`kring audit verify [--from-last-check]`: walk the audit log's hash chain and report the
first broken link: a changed, removed, inserted or reordered row (docs/adr/0012-audit-chain.md).

The walk reads the rows in order of seq, a batch at a time (constant memory); on a terminal it
prints its progress on stderr. It also compares the head the last stored check found sound
(audit.ChainCheck): a chain rewritten or cut short since then is found there. Exit status 0
when the chain verifies, 1 when it is broken; the message names the row (its seq) and what is
wrong with it. The result is not stored: the periodic task (audit.tasks) stores its own.

`kring audit anchor` prints the chain's head (seq, hash) as the periodic task writes it, for
an operator to keep outside the database."""

import json
import sys

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (verify), or print its head (anchor)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        verify = sub.add_parser("verify", help="walk the chain and report the first broken link")
        verify.add_argument(
            "--from-last-check",
            action="store_true",
            help="start at the head the last stored check found sound, not at the first row",
        )
        sub.add_parser("anchor", help="print the chain's head as JSON (seq, hash, time)")

    def handle(
        self, *args: str, what: str, from_last_check: bool = False, **options: object
    ) -> None:
        from kring.audit import chain

        if what == "anchor":
            seq, hash_ = chain.head()
            self.stdout.write(json.dumps({"seq": seq, "hash": hash_}))
            return
        known = chain.known_head()
        tty = self.stderr.isatty()

        def progress(rows: int) -> None:
            if tty:
                self.stderr.write(f"\r{rows} rows read ...", ending="")

        with translation.override("en"):
            if from_last_check and known is not None:
                result = chain.verify(start=known, progress=progress)
            else:
                result = chain.verify(known_head=known, progress=progress)
            if tty:
                self.stderr.write("")
            if result.ok:
                self.stdout.write(result.message())
                return
            self.stderr.write(result.message())
        sys.exit(1)
