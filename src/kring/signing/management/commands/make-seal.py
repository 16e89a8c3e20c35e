"""`kring make-seal PATH`: a self-signed seal certificate and key as a PKCS#12 file, for a test
installation (docs/deployment.md, "The seal"). A real installation uses a certificate from a
certificate authority; anyone checking a copy then sees who sealed it."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kring.signing import seal


class Command(BaseCommand):
    help = "Write a self-signed seal certificate (PKCS#12) for a test installation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the .p12 file (not overwritten)")
        parser.add_argument("--key", choices=["ec", "rsa"], default="ec")
        parser.add_argument(
            "--name", default="", help="the certificate's common name (default: the organisation)"
        )

    def handle(self, *args, path, key, name, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists already; choose another path.")
        passphrase = os.environ.get("KRING_SEAL_PASSPHRASE", "")
        if not passphrase:
            raise CommandError(
                "Set KRING_SEAL_PASSPHRASE in the environment: the file is encrypted with it."
            )
        data = seal.self_signed_pkcs12(
            name or settings.KRING_ORGANISATION, key_type=key, passphrase=passphrase.encode()
        )
        seal.write_atomically(target, data)
        self.stdout.write(f"Wrote {target}. Set KRING_SEAL_PKCS12={target.resolve()}.")
