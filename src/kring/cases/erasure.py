"""What the case and its request hold that erasure removes (issue 14, point 7;
docs/data-retention.md, "What erasure removes"). Registered with kring.cases.registry from
cases/apps.py.

Kept: the case row (state, team, coordinator, dates, reason codes), the request's row with its
reference, `submitted_at`, the requester's relation (a code) and the privacy-statement version
(the figures count requests by `referral__submitted_at`), and every timeline event (kinds, times,
codes and ids: never free text). Emptied: the requester's name, organisation, e-mail address and
telephone number, what happened (the description), the place, the people the request names
(name and contact details) and the note to the requester with a decline."""

from __future__ import annotations

from kring.cases.models import Case
from kring.core.erasure import blank
from kring.referrals.models import Referral, ReferralPerson


def erase_case(case: Case) -> int:
    """Empty the personal data of the case and of its request. Returns the rows changed."""
    rows = blank(Case.objects.filter(pk=case.pk), "decline_note")
    rows += blank(
        Referral.objects.filter(pk=case.referral_id),
        "requester_name",
        "requester_organisation",
        "requester_email",
        "requester_phone",
        "description",
        "place",
    )
    rows += blank(ReferralPerson.objects.filter(referral_id=case.referral_id), "name", "contact")
    return rows


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
