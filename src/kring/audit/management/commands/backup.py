"""`kring backup FILE`: an encrypted, consistent copy of Kring's database, made while Kring runs
(docs/deployment.md "Backups"). The key is KRING_BACKUP_PASSPHRASE, read from the environment
of this command only (the web and worker processes never need it). The file is new, readable
by its owner only (0600), and appears under its name only when it is complete."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kring.audit.management.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write an encrypted, consistent copy of the database to FILE (KRING_BACKUP_PASSPHRASE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup to write (must not exist)")

    def handle(self, *args: object, file: Path, **options: object) -> None:
        tty = self.stderr.isatty()

        def progress(done: int) -> None:
            if tty:
                self.stderr.write(f"\r{done / 1e6:.0f} MB written ...", ending="")

        try:
            header = backup(file, os.environ.get("KRING_BACKUP_PASSPHRASE", ""), progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if tty:
            self.stderr.write("")
        self.stdout.write(
            f"Backup of the {header['vendor']} database written to {file} "
            f"({file.stat().st_size} bytes, {header['created']})."
        )
