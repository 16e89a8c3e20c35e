"""An administrator can require a new password at next sign-in (issue 14, point 4)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_sealed_totp_device"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "After signing in, the user must choose a new password before doing "
                    "anything else."
                ),
                verbose_name="new password at next sign-in",
            ),
        ),
    ]
