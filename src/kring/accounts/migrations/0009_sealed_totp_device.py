"""Authenticator apps with their secret sealed (issue 14, finding 7; docs/adr/0014-sealed-secrets.md):
every django-otp TOTPDevice becomes a SealedTOTPDevice with the same secret, sealed with the
first key of KRING_FIELD_KEYS, and the same step, drift, last code and throttle; the clear rows
are deleted. Users keep their app; a session verified with the old device asks for one code."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError

import kring.accounts.models
from kring.core import sealing

COPIED = [
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
]


def seal_totp_devices(apps, schema_editor=None) -> int:
    """Move each clear TOTPDevice to a SealedTOTPDevice; returns how many were moved."""
    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("accounts", "SealedTOTPDevice")
    moved = 0
    for device in clear.objects.order_by("pk").iterator():
        values = {name: getattr(device, name) for name in COPIED}
        moved_device = sealed.objects.create(
            sealed_key=sealing.seal(bytes.fromhex(device.key)), **values
        )
        # created_at is auto_now_add: keep when the app was first set up.
        sealed.objects.filter(pk=moved_device.pk).update(created_at=device.created_at)
        device.delete()
        moved += 1
    return moved


def unseal_totp_devices(apps, schema_editor=None) -> None:
    """Back to django-otp's TOTPDevice, in clear (for a downgrade). A secret that no key in
    KRING_FIELD_KEYS opens stops the downgrade (nothing is changed: one transaction), naming
    the device, rather than losing the user's app."""
    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("accounts", "SealedTOTPDevice")
    for device in sealed.objects.order_by("pk").iterator():
        try:
            key = sealing.open_sealed(device.sealed_key)
        except sealing.Unreadable as error:
            raise IrreversibleError(
                f"TOTP device {device.pk} (user {device.user_id}, {device.name!r}): no key in "
                "KRING_FIELD_KEYS opens its secret. Put the key it was sealed with back into "
                "KRING_FIELD_KEYS (after the first) and migrate back again."
            ) from error
        values = {name: getattr(device, name) for name in COPIED}
        moved_device = clear.objects.create(key=key.hex(), **values)
        # created_at is auto_now_add: keep when the app was first set up.
        clear.objects.filter(pk=moved_device.pk).update(created_at=device.created_at)
        device.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_lockout_usual_addresses"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="SealedTOTPDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                ("sealed_key", models.TextField(default=kring.accounts.models.new_sealed_totp_key)),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "TOTP device",
                "abstract": False,
            },
        ),
        migrations.RunPython(seal_totp_devices, unseal_totp_devices),
    ]
