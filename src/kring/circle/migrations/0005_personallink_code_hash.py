# The letter code of a personal link (issue 8, point 4; docs/adr/0007-letter-codes.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("circle", "0004_notices_questions_returns"),
    ]

    operations = [
        migrations.AddField(
            model_name="personallink",
            name="code_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
    ]
