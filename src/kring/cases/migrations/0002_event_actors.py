"""Every timeline event names who acted (audit.actors): before this, events done in the
participant portal and the request itself had no actor at all."""

from django.db import migrations, models

PORTAL = "portal"


def name_the_actors(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.filter(actor__isnull=True).iterator():
        data = event.data or {}
        if event.kind == "case.requested":
            event.actor_kind = "requester"
        elif data.get("mode") == PORTAL or data.get("via") == PORTAL:
            # Done by the participant in the portal; a consent for a minor by the guardian.
            acting = data.get("given_by") or data.get("participant")
            event.actor_kind = "participant"
            event.actor_participant_id = acting
            event.via = PORTAL
            if acting and data.get("participant") and acting != data["participant"]:
                event.for_participant_id = data["participant"]
        else:
            event.actor_kind = "system"
        event.save(
            update_fields=["actor_kind", "actor_participant_id", "for_participant_id", "via"]
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="actor_kind",
            field=models.CharField(
                choices=[
                    ("staff", "staff"),
                    ("participant", "participant"),
                    ("requester", "the requester"),
                    ("system", "Kring"),
                ],
                default="staff",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseevent",
            name="actor_participant_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="for_participant_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="via",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(name_the_actors, migrations.RunPython.noop),
    ]
