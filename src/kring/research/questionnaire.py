"""The questions of the questionnaire (R16), defined once: the portal's form, the paper version,
the coordinator's typing-in from paper, the import's columns and the figures all read them.

Everyone is asked how satisfied they are, looking back on the conference (1 to 5), and what has
changed since (each yes, no or not applicable). The person harmed is also asked whether the
situation has been put right, whether things were said well at the conference and whether good
agreements were made (each 1 to 5). Last, an optional free text ("anything else?"), which the
team's manager reads with the case (research.models.Remark). Participants read these in plain Dutch (B1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.research.models import AnswerRole

# A figure counts an answer of 4 or 5 on the scale of 1 to 5 as "yes, satisfied" (R16).
AGREES_FROM = 4
SCALE = range(1, 6)


@dataclass(frozen=True)
class Question:
    field: str  # the column of research.models.Answer
    text: str | Promise  # what the participant reads
    low: str | Promise = ""  # what 1 means on a scale
    high: str | Promise = ""  # what 5 means


SATISFIED = Question(
    "satisfied",
    _("Looking back on the conference: how satisfied are you?"),
    _("not satisfied at all"),
    _("very satisfied"),
)
# Asked of the person harmed only.
HARMED_SCALES = (
    Question(
        "situation_restored",
        _("Has the situation been put right?"),
        _("not put right at all"),
        _("completely put right"),
    ),
    Question(
        "said_well",
        _("Were things said well at the conference?"),
        _("not at all"),
        _("very well"),
    ),
    Question(
        "good_agreements",
        _("Were good agreements made?"),
        _("not at all"),
        _("very good agreements"),
    ),
)
CHANGES_INTRO = _("What has changed for you since the conference?")
CHANGES = (
    Question("relations_restored", _("Relations with others are better again.")),
    Question("less_afraid", _("I am less afraid.")),
    Question("feel_better", _("I feel better in myself.")),
    Question("move_on", _("I can get on with my life.")),
)
REMARK = _("Is there anything else you want to tell us? (You do not have to.)")
# The manager reads it with the case and the role, which may name who wrote it: said plainly.
REMARK_HINT = _(
    "The team's manager reads this and knows which case it is about. "
    "Please do not write anyone's name."
)


def scales_for(role: str) -> tuple[Question, ...]:
    """The questions on the scale of 1 to 5 that `role` is asked."""
    if role == AnswerRole.HARMED:
        return (SATISFIED, *HARMED_SCALES)
    return (SATISFIED,)


HARMED_ONLY = tuple(q.field for q in HARMED_SCALES)
SCALE_FIELDS = (SATISFIED.field, *HARMED_ONLY)
CHANGE_FIELDS = tuple(q.field for q in CHANGES)
