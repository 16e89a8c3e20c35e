"""What research holds that erasure removes (issue 14, point 7; docs/data-retention.md, "What
erasure removes"; docs/adr/0011-research.md). Registered with kring.cases.registry from
research/apps.py.

Kept, because the figures read them: the conference records (team, day, how many were present),
the answers (role, numbers, yes or no: never a person) and the invitations (who was asked,
whether they answered: the response rates). Erased with the case: the remarks (the free text of
a questionnaire, which may name people), and the record's link to the case (set to NULL, as the
ADR says), so that an answer can no longer be tied to the case it came from through its record.

A participant's own erasure leaves research alone: an answer is not linked to them, and a remark
is the case's, by role only (it cannot be told whose it is)."""

from __future__ import annotations

from kring.cases.models import Case
from kring.research.models import ConferenceRecord, Remark


def erase_case(case: Case) -> int:
    deleted, _ = Remark.objects.filter(case=case).delete()
    return deleted + ConferenceRecord.objects.filter(case=case).update(case=None)


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
