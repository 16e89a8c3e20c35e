from django.db import migrations, models

import kring.core.contact_details


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_team_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="away",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "While you are away, participants are asked to contact the organisation "
                    "instead."
                ),
                verbose_name="away",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="work_email",
            field=models.EmailField(
                blank=True,
                help_text="Participants see this address.",
                max_length=254,
                verbose_name="work e-mail address",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="work_phone",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Participants see this number. For example 030 123 45 67 or 06 12 34 56 78."
                ),
                max_length=30,
                validators=[kring.core.contact_details.validate_phone],
                verbose_name="work telephone number",
            ),
        ),
    ]
