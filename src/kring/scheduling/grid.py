"""The coordinator's grid of the date poll (issue 9, point 2): every answer of every participant
who takes part, who has not answered yet, and the options ranked.

Ranking: a yes counts 2, an "if need be" 1, a no 0. An option that a harmed or responsible
participant cannot make (they answered no) is unusable: without them there is no conference
(R8), so it is ranked last, whatever its score. Among equals the earlier date comes first.

The whole grid costs a fixed number of queries, however many participants or answers: the
options with their venues, the participants, the answers, and the fit of the options
(scheduling.fit: who may come, and the coordinator's other meetings over all the dates at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kring.circle.models import Participant
from kring.scheduling import fit, policy
from kring.scheduling.models import Availability, Meeting, PollAnswer, PollOption

SCORES = {Availability.YES: 2, Availability.IF_NEED_BE: 1, Availability.NO: 0}


@dataclass
class Row:
    """One option as the grid shows it."""

    option: PollOption
    yes: int = 0
    if_need_be: int = 0
    no: int = 0
    not_answered: int = 0
    score: int = 0
    # The harmed or responsible participants who answered no: why the option is unusable.
    cannot_come: list[Participant] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    answers: dict[int, PollAnswer] = field(default_factory=dict)  # by participant pk

    @property
    def unusable(self) -> bool:
        return bool(self.cannot_come)


@dataclass
class Grid:
    meeting: Meeting
    participants: list[Participant]  # those who take part and can answer (policy.taking_part)
    rows: list[Row]  # the options, best first
    not_answered: list[Participant]  # who has not answered every option yet

    @property
    def cells(self) -> list[tuple[Participant, list[tuple[Row, PollAnswer | None]]]]:
        """Per participant their answer to each option, in the order of `rows`."""
        return [(p, [(row, row.answers.get(p.pk)) for row in self.rows]) for p in self.participants]


def answering(meeting: Meeting) -> list[Participant]:
    """The participants who answer the poll: those who take part (policy.taking_part; a minor
    too, with their own link). One query."""
    return list(
        policy.taking_part(meeting.case_id)
        .only("pk", "name", "erased_at", "side", "status", "case_id")
        .order_by("name", "pk")
    )


def _rank_key(row: Row):
    return (row.unusable, -row.score, -row.yes, row.option.starts_at, row.option.pk)


def grid(meeting: Meeting, *, with_fit: bool = True) -> Grid:
    options = list(meeting.options.select_related("venue").order_by("starts_at", "pk"))
    participants = answering(meeting)
    by_pk = {p.pk: p for p in participants}
    rows = {option.pk: Row(option=option) for option in options}
    answers = PollAnswer.objects.filter(option__meeting=meeting, participant_id__in=list(by_pk))
    for answer in answers.only(
        "pk", "option_id", "participant_id", "answer", "answered_at", "recorded_by_id"
    ):
        row = rows[answer.option_id]
        row.answers[answer.participant_id] = answer
        row.score += SCORES.get(answer.answer, 0)
        if answer.answer == Availability.YES:
            row.yes += 1
        elif answer.answer == Availability.IF_NEED_BE:
            row.if_need_be += 1
        else:
            row.no += 1
            if by_pk[answer.participant_id].is_main:
                row.cannot_come.append(by_pk[answer.participant_id])
    for row in rows.values():
        row.not_answered = len(participants) - len(row.answers)
        row.cannot_come.sort(key=lambda p: (p.name, p.pk))
    if with_fit and options:
        case = meeting.case
        people = fit.may_come(case)
        clashes = fit.clashes_each(
            case.coordinator if case.coordinator_id else None,
            case=case,
            times={o.pk: (o.starts_at, o.ends_at) for o in options},
        )
        for row in rows.values():
            row.warnings = fit.warnings_for(
                row.option.venue,
                case=case,
                starts_at=row.option.starts_at,
                ends_at=row.option.ends_at,
                participants=people,
                clashes=clashes[row.option.pk],
            )
    ranked_rows = sorted(rows.values(), key=_rank_key)
    not_answered = [p for p in participants if any(p.pk not in row.answers for row in ranked_rows)]
    return Grid(meeting, participants, ranked_rows, not_answered if options else participants)


def ranked(meeting: Meeting) -> list[Row]:
    """The options, best first, with their counts and whether they are unusable."""
    return grid(meeting).rows
