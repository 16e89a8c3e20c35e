"""What the circle holds that erasure removes (issue 14, points 7 and 8; docs/data-retention.md,
"What erasure removes"). Registered with kring.cases.registry from circle/apps.py.

A participant stays as an anonymous row (side, role in the circle, status, language, minor or
not, who stands in whose circle, when added, `erased_at`): the figures and the circle's counts
read it. Their name, relation, contact details, interpreter language, accessibility needs and
wishes are emptied; their name then reads as ERASED_NAME on every page. Emptied too: the
coordinator's notes of conversations, the safety check's assessments, the names and reasons of
nominations, the questions and answers. The personal links are deleted, so that no link or
letter code opens anything any more. Acknowledgments, consents, invitations, notices and what
was done with the people of the request stay: they hold codes and times only."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from kring.cases.models import Case
from kring.circle.models import (
    Conversation,
    FromRequest,
    Nomination,
    Participant,
    PersonalLink,
    Question,
    RiskFlag,
)
from kring.core.erasure import blank
from kring.referrals.models import ReferralPerson

# The participant's own columns that erasure empties.
PERSONAL = (
    "name",
    "relation",
    "email",
    "phone",
    "address",
    "interpreter_language",
    "accessibility_needs",
    "wishes",
)


def _empty_participants(rows: QuerySet[Participant]) -> int:
    changed = blank(rows, *PERSONAL)
    # A participant whose columns were already empty is marked erased too (once).
    marked: int = rows.filter(erased_at__isnull=True).update(erased_at=timezone.now())
    return changed + marked


def erase_case(case: Case) -> int:
    """Empty the personal data of everyone in the circle of `case`."""
    rows = _empty_participants(Participant.objects.filter(case=case))
    rows += blank(Conversation.objects.filter(participant__case=case), "notes")
    rows += blank(RiskFlag.objects.filter(case=case), "assessment", "resolution")
    rows += blank(Nomination.objects.filter(case=case), "name", "relation", "decision_reason")
    rows += blank(Question.objects.filter(participant__case=case), "text", "answer")
    deleted, _ = PersonalLink.objects.filter(participant__case=case).delete()
    return rows + deleted


def erase_participant(participant: Participant) -> int:
    """Empty the personal data of one participant: their own row, the notes of conversations
    with them, the nominations they made and the one that named them, their questions and the
    answers, what the request said about them; delete their personal links."""
    rows = blank(Conversation.objects.filter(participant=participant), "notes")
    rows += blank(
        Nomination.objects.filter(Q(nominated_by=participant) | Q(participant=participant)),
        "name",
        "relation",
        "decision_reason",
    )
    rows += blank(Question.objects.filter(participant=participant), "text", "answer")
    person = FromRequest.objects.filter(participant=participant).values("person_id")
    rows += blank(ReferralPerson.objects.filter(pk__in=person), "name", "contact")
    deleted, _ = PersonalLink.objects.filter(participant=participant).delete()
    # The row is emptied in the database; `participant` keeps the values it was loaded with, so
    # that the erasers that run after this one still find the name (conference.erasure). The
    # caller reloads it (privacy.rights.erase_participant).
    return rows + deleted + _empty_participants(Participant.objects.filter(pk=participant.pk))


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
    registry.add_participant_eraser(erase_participant)
