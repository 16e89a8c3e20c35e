"""`kring createadmin`: the first administrator (and any later one made from the shell).

Asks only for what Kring uses: username, e-mail address, first name and a password (twice).
The user gets the administrator role, which is what opens /beheer/ (accounts.admin), and the
staff and superuser flags that Django's admin pages expect. With --noinput the answers come from
the options and the password from the environment variable KRING_ADMIN_PASSWORD, so that a
script can run it without putting the password on a command line.

The new account is written to the audit log (account.added, by Kring itself). The administrator
sets up the second factor when signing in for the first time.
"""

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from kring.accounts import admin_audit
from kring.accounts.models import Role, User
from kring.audit.actors import SYSTEM

PASSWORD_VARIABLE = "KRING_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable


class Command(BaseCommand):
    help = (
        "Create an administrator: a user with the administrator role, who manages users and "
        "teams in /beheer/. Asks for username, e-mail address, first name and password; with "
        f"--noinput the password comes from the environment variable {PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="The administrator's username.")
        parser.add_argument("--email", help="The administrator's e-mail address.")
        parser.add_argument(
            "--first-name", dest="first_name", help="The administrator's first name."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: take the answers from the options and the password from "
            f"{PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, **options):
        values = self._ask(options) if options["interactive"] else self._from_options(options)
        with transaction.atomic():
            if User.objects.filter(username__iexact=values["username"]).exists():
                raise CommandError(self._exists_message(values["username"]))
            user = User(
                username=values["username"],
                email=values["email"],
                first_name=values["first_name"],
                role=Role.ADMINISTRATOR,
                is_staff=True,
                is_superuser=True,
            )
            user.set_password(values["password"])
            user.save()
            admin_audit.user_added(user, by=SYSTEM)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {user.username!r} created. Sign in at /account/inloggen/ and "
                "set up the second factor; then /beheer/ manages users and teams."
            )
        )

    # --- without questions ---------------------------------------------------------------

    def _from_options(self, options) -> dict:
        missing = [
            f"--{name.replace('_', '-')}"
            for name in ("username", "email", "first_name")
            if not (options.get(name) or "").strip()
        ]
        if missing:
            raise CommandError(f"With --noinput, give {', '.join(missing)}.")
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(f"With --noinput, set the password in {PASSWORD_VARIABLE}.")
        values = {
            "username": options["username"].strip(),
            "email": options["email"].strip(),
            "first_name": options["first_name"].strip(),
        }
        for field, check in (("username", self._check_username), ("email", self._check_email)):
            error = check(values[field])
            if error:
                raise CommandError(error)
        error = self._check_password(password, values)
        if error:
            raise CommandError(error)
        return {**values, "password": password}

    # --- interactive -----------------------------------------------------------------------

    def _ask(self, options) -> dict:
        values = {}
        try:
            values["username"] = self._ask_until_valid(
                "Username", options.get("username"), self._check_username
            )
            values["email"] = self._ask_until_valid(
                "E-mail address", options.get("email"), self._check_email
            )
            values["first_name"] = self._ask_until_valid(
                "First name", options.get("first_name"), self._check_first_name
            )
            while True:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
                if password != again:
                    self.stderr.write("The two passwords differ. Try again.")
                    continue
                error = self._check_password(password, values)
                if error:
                    self.stderr.write(error)
                    continue
                values["password"] = password
                return values
        except (KeyboardInterrupt, EOFError):
            self.stderr.write("\nStopped: no administrator was created.")
            raise SystemExit(1) from None

    def _ask_until_valid(self, label: str, given: str | None, check) -> str:
        if given:
            error = check(given.strip())
            if error:
                raise CommandError(error)
            return given.strip()
        while True:
            value = input(f"{label}: ").strip()
            error = check(value)
            if not error:
                return value
            self.stderr.write(error)

    # --- checks: an error message, or "" ---------------------------------------------------

    def _exists_message(self, username: str) -> str:
        return (
            f"A user named {username!r} exists already. Choose another username, or give "
            "that user the administrator role in /beheer/."
        )

    def _check_username(self, value: str) -> str:
        if not value:
            return "The username cannot be empty."
        try:
            User._meta.get_field("username").clean(value, None)
        except ValidationError as error:
            return " ".join(error.messages)
        if User.objects.filter(username__iexact=value).exists():
            return self._exists_message(value)
        return ""

    def _check_email(self, value: str) -> str:
        if not value:
            return "The e-mail address cannot be empty."
        try:
            validate_email(value)
        except ValidationError:
            return f"{value!r} is not a valid e-mail address."
        return ""

    def _check_first_name(self, value: str) -> str:
        if not value:
            return "The first name cannot be empty."
        if len(value) > User._meta.get_field("first_name").max_length:
            return "The first name is too long."
        return ""

    def _check_password(self, password: str, values: dict) -> str:
        candidate = User(
            username=values.get("username", ""),
            email=values.get("email", ""),
            first_name=values.get("first_name", ""),
        )
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            return " ".join(str(message) for message in error.messages)
        return ""
