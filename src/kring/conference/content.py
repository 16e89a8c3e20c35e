"""The plan in its canonical form (issue 10, point 5): one dict of plain values that every view
of the plan renders (the editor's read parts, the second screen, the printout, a version) and
that a version freezes and hashes. Names, not ids: a version must read the same after the
circle changes. Dates as ISO strings; the order of the rows is their position."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from kring.circle.models import shown_name
from kring.conference.models import Plan
from kring.conference.queries import present_participants

if TYPE_CHECKING:
    from kring.circle.models import Participant

FORMAT = 1  # raise when the shape below changes; a version keeps the format it was made with


def _name(participant: Participant | None) -> str:
    return participant.name if participant is not None else ""


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def canonical(plan: Plan) -> dict[str, Any]:
    """The plan as it stands: a fixed number of queries, however many rows it has."""
    conference = plan.conference
    ideas = plan.ideas.select_related("brought_in_by").order_by("position", "pk")
    agreements = plan.agreements.select_related("who").order_by("position", "pk")
    return {
        "format": FORMAT,
        "reference": plan.case.reference,
        "present": [
            shown_name(name)
            for name in present_participants(conference).values_list("name", flat=True)
        ],
        "on_paper": conference.on_paper,
        "good_outcome": {"text": plan.good_outcome, "by": _name(plan.good_outcome_by)},
        "ideas": [{"text": i.text, "by": _name(i.brought_in_by)} for i in ideas],
        "agreements": [
            {
                "number": number,
                "what": a.what,
                "who": _name(a.who) or a.who_other,
                "for_whom": a.for_whom,
                "by_when": _date(a.by_when),
                "how_checked": a.how_checked,
                "prevents_repeat": a.prevents_repeat,
            }
            for number, a in enumerate(agreements, start=1)
        ],
        "evaluation_date": _date(plan.evaluation_date),
        "if_not_kept": plan.if_not_kept,
    }


def serialise(content: dict[str, Any]) -> bytes:
    """The canonical bytes: keys sorted, no spaces, UTF-8 (the same on every machine)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical bytes, in hex (64 characters)."""
    return hashlib.sha256(serialise(content)).hexdigest()
