"""`kring restore FILE [--into DATABASE_URL]`: decrypt a backup made by `kring backup`, check it
in a scratch database (the audit chain verifies, the database is the same vendor, its
migrations are known to this code) and only then replace the target: Kring's database, or the
one named by --into (docs/deployment.md "Backups"). Refused with nothing replaced when the
passphrase is wrong, the file is cut off or changed, or a check fails. Stop Kring first."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kring.audit.management.backup import BackupError, database_from_url, restore


class Command(BaseCommand):
    help = "Check a backup and replace the database with it (KRING_BACKUP_PASSPHRASE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a backup written by `kring backup`")
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="the database to replace (as KRING_DATABASE_URL); Kring's own by default",
        )

    def handle(self, *args: object, file: Path, into: str | None = None, **options: object) -> None:
        tty = self.stderr.isatty()

        def progress(done: int) -> None:
            if tty:
                self.stderr.write(f"\r{done / 1e6:.0f} MB decrypted ...", ending="")

        try:
            target = database_from_url(into) if into else None
            message = restore(
                file, os.environ.get("KRING_BACKUP_PASSPHRASE", ""), into=target, progress=progress
            )
        except (BackupError, OSError, ImproperlyConfigured) as error:
            raise CommandError(f"{error} Nothing was replaced.") from error
        if tty:
            self.stderr.write("")
        self.stdout.write(message)
