"""Reports (changes nothing) the cases in which a minor's recorded parent or guardian breaks
R9 as Kring now enforces it: an adult on the minor's own side, never a person responsible for
the harm done to them. Such a guardian no longer sees or consents for the minor in the portal;
the coordinator corrects the record. Case references only, never names."""

import sys

from django.db import migrations

MAIN = ("harmed", "responsible")


def report(apps, schema_editor):
    Participant = apps.get_model("circle", "Participant")
    people = {
        p.pk: p
        for p in Participant.objects.select_related("case__referral").only(
            "pk", "side", "supports_id", "is_minor", "guardian_id", "case__referral__reference"
        )
    }

    def camp(p):
        if p.side in MAIN:
            return p.side
        supports = people.get(p.supports_id)
        return supports.side if supports is not None else None

    broken = sorted(
        {
            minor.case.referral.reference
            for minor in people.values()
            if minor.guardian_id
            and (guardian := people.get(minor.guardian_id)) is not None
            and (guardian.is_minor or camp(guardian) != camp(minor))
        }
    )
    if broken:
        sys.stdout.write(
            "\n  Kring: a parent or guardian who is not an adult on the minor's own side, in "
            f"case(s) {', '.join(broken)}. Ask the coordinator to correct it (R9).\n"
        )


class Migration(migrations.Migration):
    dependencies = [("circle", "0002_personal_links")]

    operations = [migrations.RunPython(report, migrations.RunPython.noop)]
