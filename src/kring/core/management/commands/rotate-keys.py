"""`kring rotate-keys`: re-seal every sealed value with the first key of KRING_FIELD_KEYS
(docs/adr/0014-sealed-secrets.md, "Rotating a key").

1. Put a new key first in KRING_FIELD_KEYS, keep the old ones after it; restart Kring.
2. Run `kring rotate-keys` (`--dry-run` first counts what is to do). It walks each sealed field
   (kring.core.sealing.register) in batches, each batch its own transaction; a value already
   under the first key is left alone, so the command can stop at any moment and run again.
3. When it reports 0 to re-seal and nothing unreadable, drop the old keys.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kring.core import sealing


class Command(BaseCommand):
    help = "Re-seal every sealed value with the first key of KRING_FIELD_KEYS (resumable)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is to re-seal; change nothing."
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=0,
            help="Stop after this many batches of each field (0: no limit); run again to go on.",
        )

    def handle(self, *args, dry_run=False, batch_size=500, max_batches=0, **options):
        if batch_size < 1 or max_batches < 0:
            raise CommandError("--batch-size must be at least 1, --max-batches at least 0.")
        unreadable = 0
        for sealed_field in sealing.sealed_fields():
            unreadable += self._rotate(sealed_field, dry_run, batch_size, max_batches)
        if unreadable:
            raise CommandError(
                f"{unreadable} values could not be opened with any key in KRING_FIELD_KEYS: "
                "keep the old keys until they are found (see the lines above)."
            )

    def _rotate(self, sealed_field, dry_run: bool, batch_size: int, max_batches: int) -> int:
        model = apps.get_model(sealed_field.model)
        name = f"{sealed_field.model}.{sealed_field.field}"
        rows = model._default_manager.exclude(**{sealed_field.field: ""}).order_by("pk")
        after, batches = None, 0
        resealed = current = unreadable = 0
        while not max_batches or batches < max_batches:
            page = rows if after is None else rows.filter(pk__gt=after)
            with transaction.atomic():
                batch = list(
                    page.select_for_update(no_key=True).values_list("pk", sealed_field.field)[
                        :batch_size
                    ]
                )
                if not batch:
                    break
                for pk, value in batch:
                    if sealing.under_first_key(value):
                        current += 1
                        continue
                    new = _resealed(sealed_field, value)
                    if new is None:
                        unreadable += 1
                        self.stderr.write(f"{name}: row {pk} cannot be opened with any key")
                        continue
                    resealed += 1
                    if not dry_run:
                        model._default_manager.filter(pk=pk).update(**{sealed_field.field: new})
            after, batches = batch[-1][0], batches + 1
            self.stdout.write(f"{name}: batch {batches} done, up to row {after}")
        verb = "to re-seal" if dry_run else "re-sealed"
        self.stdout.write(
            f"{name}: {resealed} {verb}, {current} under the first key, {unreadable} unreadable"
        )
        return unreadable


def _resealed(sealed_field, value: str) -> str | None:
    """The value under the first key; a value from before the field keys is opened with the
    field's legacy opener and sealed; None when nothing opens it."""
    try:
        return sealing.reseal(value)
    except sealing.Unreadable:
        opened = sealed_field.legacy(value) if sealed_field.legacy else None
        return None if opened is None else sealing.seal(opened)
