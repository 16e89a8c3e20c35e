"""What follow-up holds that erasure removes (issue 14, points 7 and 8; docs/data-retention.md,
"What erasure removes"), and until when a closed case is kept. Registered with
kring.cases.registry from followup/apps.py.

Kept: the tracked agreements' numbers, owners (a participant, whose name reads as erased once
they are), dates, states and history (who, when, which states), the reports' kinds, times and
outcomes, the contacts' dates, the reminders sent (keys of ids and dates), and the closure's
outcome, dates and `retain_until` (the figures count the outcome). Emptied: the agreements'
texts and the names typed in them, the notes of their history, the reports (the participant's
own words) and the answers to them, the contacts' notes and the closing note."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from kring.cases.models import Case
from kring.core.erasure import blank
from kring.followup.models import AgreementChange, Closure, Contact, Report, TrackedAgreement


def erase_case(case: Case) -> int:
    """Empty the words of the follow-up of `case`."""
    rows = blank(
        TrackedAgreement.objects.filter(case=case),
        "what",
        "owner_other",
        "for_whom",
        "how_checked",
    )
    rows += blank(AgreementChange.objects.filter(tracked__case=case), "note")
    rows += blank(Report.objects.filter(case=case), "text", "answer")
    rows += blank(Contact.objects.filter(case=case), "note")
    rows += blank(Closure.objects.filter(case=case), "note")
    return rows


def erase_participant(participant: Any) -> int:
    """Empty the participant's reports (their own words) and the answers to them."""
    return blank(Report.objects.filter(participant=participant), "text", "answer")


def retain_until() -> Subquery:
    """A closed case is kept until its closure's `retain_until` (followup.closing): as SQL over
    the case's row (cases.registry.add_retention_date)."""
    return Subquery(Closure.objects.filter(case=OuterRef("pk")).values("retain_until")[:1])


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
    registry.add_participant_eraser(erase_participant)
    registry.add_retention_date(retain_until)
