"""What a conference and its plan hold that erasure removes (issue 14, points 7 and 8;
docs/data-retention.md, "What erasure removes"). Registered with kring.cases.registry from
conference/apps.py.

Kept: the conference rows (times, held or not and why: codes), attendance (who was present:
the figures count it), the rounds' order and times, the plan's dates and counts, each idea's and
agreement's place, date and "prevents a repeat", each version's number, hash and times. Emptied:
the rounds' notes, the plan's texts (the good outcome, what happens when an agreement is not
kept), the ideas, the agreements' texts and the names typed in them, and every text of a
version's frozen content (the names of those present, the plan's words)."""

from __future__ import annotations

from typing import Any

from kring.cases.models import Case
from kring.conference.models import Agreement, Idea, Plan, PlanVersion, Round
from kring.core.erasure import blank

# The keys of a version's content that are codes, not words: kept.
_CODES = frozenset({"format", "reference", "by_when", "evaluation_date", "number"})


def _emptied(value: Any, key: str = "") -> Any:
    """`value` (a version's content) with every text emptied, except the codes and dates."""
    if isinstance(value, dict):
        return {k: _emptied(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_emptied(item, key) for item in value]
    if isinstance(value, str) and key not in _CODES:
        return ""
    return value


def erase_case(case: Case) -> int:
    """Empty the words of the conferences and plans of `case`."""
    rows = blank(Round.objects.filter(conference__case=case), "note")
    rows += blank(Plan.objects.filter(case=case), "good_outcome", "if_not_kept")
    rows += blank(Idea.objects.filter(plan__case=case), "text")
    rows += blank(
        Agreement.objects.filter(plan__case=case), "what", "who_other", "for_whom", "how_checked"
    )
    # A case has a few versions at most: each is rewritten on its own (its content differs).
    # The hash stays the one that was signed; the words it was made of are gone.
    for version in PlanVersion.objects.filter(plan__case=case):
        emptied = _emptied(version.content)
        if emptied != version.content:
            PlanVersion.objects.filter(pk=version.pk).update(content=emptied)
            rows += 1
    return rows


def erase_participant(participant: Any) -> int:
    """Empty the coordinator's notes of the participant's rounds. Their name in the versions of
    the plan is signing's (signing.erasure): a signed version blocks the erasure."""
    return blank(Round.objects.filter(participant=participant), "note")


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
    registry.add_participant_eraser(erase_participant)
