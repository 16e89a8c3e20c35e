"""Helpers of the conference mode tests (issue 10, point 1): more people in Carla's scheduled
case, who said yes. Made with the models (adding people is preparation's action, tested there;
a scheduled case no longer takes new people through it)."""

from django.utils import timezone

from kring.circle.models import Participant, Side, Status

# Six supporters around Daan and Sanne, with Joost and Ria: the circle of the journey.
SUPPORTERS = (
    ("Anton de Boer", "daan", "father of Daan"),
    ("Petra de Boer", "daan", "mother of Daan"),
    ("Ellen Jansen", "sanne", "mother of Sanne"),
    ("Bas Jansen", "sanne", "brother of Sanne"),
)


def said_yes(case, name: str, *, side: str = Side.SUPPORTER, supports=None, relation: str = ""):
    """Someone in the circle of `supports` who said yes."""
    return Participant.objects.create(
        case=case,
        name=name,
        side=side,
        supports=supports,
        relation=relation,
        status=Status.ACCEPTED,
        status_changed_at=timezone.now(),
    )


def six_supporters(case, people: dict) -> dict:
    """Joost and Ria of `people` (everyone_said_yes), and four more: two with Daan, two with
    Sanne. Returns everyone by first name, lower case."""
    everyone = dict(people)
    for name, of, relation in SUPPORTERS:
        everyone[name.split()[0].lower()] = said_yes(
            case, name, supports=people[of], relation=relation
        )
    return everyone
