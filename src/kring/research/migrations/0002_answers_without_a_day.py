"""Issue 13, review: an answer carries no day (it would match the invitation's `answered_at`), a
remark only its month (the first day of it), and a record says when its second round was handled
(records with second invitations already count as handled)."""

from django.db import migrations, models
from django.db.models.functions import TruncMonth
from django.utils import timezone


def forwards(apps, schema_editor):
    ConferenceRecord = apps.get_model("research", "ConferenceRecord")
    Remark = apps.get_model("research", "Remark")
    ConferenceRecord.objects.filter(invitations__round=2, second_round_at__isnull=True).update(
        second_round_at=timezone.now()
    )
    Remark.objects.update(created_on=TruncMonth("created_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0001_research"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="answer",
            name="answered_on",
        ),
        migrations.AddField(
            model_name="conferencerecord",
            name="second_round_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
