"""Django's `createsuperuser` makes a user without a role, who cannot use Kring (issue 7):
Kring's command is `kring createadmin`. This command only says so."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not used in Kring: run `kring createadmin` to create an administrator."

    def add_arguments(self, parser):
        # Accept (and ignore) what Django's command took, so that old scripts get the message
        # below instead of an argument error.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--database")

    def handle(self, *args, **options):
        raise CommandError(
            "Kring does not use createsuperuser: a superuser without Kring's administrator "
            "role cannot open /beheer/. Run `kring createadmin` instead (--noinput with "
            "KRING_ADMIN_PASSWORD in scripts); see docs/deployment.md, 'First administrator'."
        )
