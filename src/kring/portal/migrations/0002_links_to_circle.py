"""Personal links are the circle's now (circle 0002): the portal app forgets the model; its
table stays, owned by the circle's model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("circle", "0002_personal_links")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PersonalLink")],
            database_operations=[],
        ),
    ]
