"""Lockout that cannot be turned against a user (issue 14, finding 2; docs/adr/0013-lockout.md):
the time of the last failure per counter, and the addresses a user signed in from (hashed)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_work_contact_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="loginthrottle",
            name="last_failure_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.CreateModel(
            name="UsualAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address_hash", models.CharField(max_length=64)),
                ("last_seen", models.DateTimeField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="usual_addresses",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "address_hash"), name="usual_address_unique"
                    )
                ],
            },
        ),
    ]
