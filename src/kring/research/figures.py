"""The figures (R16, issue 13 point 2), computed in SQL: aggregates over the research tables
(research.models.ConferenceRecord, Answer, Invitation) and the anonymous state of cases, never a
Python loop over rows. A page, an export and `kring figures` all read `compute(selection)`.

What is counted (docs/adr/0011-research.md):

- **Conferences** and everything about them (participants per conference, the answers, the
  shares) by the day the conference was held, imported and live alike.
- **The funnel** by the day the request came in (a cohort: of the requests of the period, how
  many were taken on, had their conference, signed a plan, kept every agreement; why the others
  were declined or stopped), live cases only: the imported history has no requests.
- **Participants per conference**: present, the coordinator not counted; mean and median.
- **Shares**: of the answers of one role on one question, the part that answered 4 or 5
  (research.questionnaire.AGREES_FROM); of the first questionnaire only.
- **Response rates** per role: of the invitations to the first questionnaire, the part
  answered (live conferences only: the history has no invitations).

Small numbers (R16, docs/rules.md "Roles": never a group smaller than five): a figure computed
from fewer than `MIN_GROUP` conferences or answers is suppressed: its `value` is None and its
`reason` says why (a dash with the reason on screen, `null` in JSON). A count of 1 to 4 is a
group smaller than five too, and suppressed the same way; 0 is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

MIN_GROUP = 5


@dataclass(frozen=True)
class Selection:
    """Which conferences and requests: `start` to `end`, both days included (Amsterdam dates),
    of `team_ids` (None: every team, and for the funnel also requests not yet given to a
    team)."""

    start: date
    end: date
    team_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Figure:
    """One number and what it stands on. `key`: its name in JSON and CSV; `label`: what people
    read; `value`: an int (count), a float rounded to one decimal (mean, median, percentage), or
    None when suppressed or when there is nothing to compute from; `base`: the number of
    conferences or answers it is computed from; `unit`: "count", "mean" or "pct"; `reason`: why
    it is not shown (empty when it is)."""

    key: str
    label: str | Promise
    value: int | float | None
    base: int
    unit: str = "count"
    reason: str | Promise = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None and bool(self.reason)


@dataclass(frozen=True)
class TeamRow:
    """One team's main figures in the per-team table (researchers): name and the figures
    `conferences`, `participants_mean`, `responsible_satisfied_pct`, `harmed_restored_pct`."""

    team: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Figures:
    selection: Selection
    conferences: Figure
    participants_mean: Figure
    participants_median: Figure
    # The shares (pct) of the first questionnaire.
    responsible_satisfied_pct: Figure
    harmed_satisfied_pct: Figure
    harmed_restored_pct: Figure
    harmed_said_well_pct: Figure
    harmed_good_agreements_pct: Figure
    # Answers to the first questionnaire per role (research.models.AnswerRole), counts.
    answers: tuple[Figure, ...] = ()
    # Of the invitations to the first questionnaire, the part answered, per role (pct).
    response_rates: tuple[Figure, ...] = ()
    # What has changed since: per question of research.questionnaire.CHANGES, the share "yes"
    # of the answers yes or no (all roles, first questionnaire).
    changes: tuple[Figure, ...] = ()
    # requests, taken_on, conferences_held, plans_signed, plans_kept (counts, live cases).
    funnel: tuple[Figure, ...] = ()
    # Of the same requests: declined per reason, stopped per reason (counts).
    declined: tuple[Figure, ...] = ()
    stopped: tuple[Figure, ...] = ()
    # Per team (only when the selection spans more than one team).
    teams: tuple[TeamRow, ...] = field(default=())


def compute(selection: Selection) -> Figures:
    """Every figure of `selection`, in a fixed number of queries (not growing with the data)."""
    raise NotImplementedError  # issue 13, helper A


def as_json(figures: Figures) -> dict:
    """One JSON-ready object: at least `conferences`, `participants_mean`,
    `participants_median`, `responsible_satisfied_pct`, `harmed_satisfied_pct`,
    `harmed_restored_pct`, `harmed_said_well_pct`, `harmed_good_agreements_pct` (numbers or
    null), `answers` ({role: count or null}), plus `from`, `to`, `team`, `response_rates`,
    `changes`, `funnel`, `declined`, `stopped`, and `suppressed` ({key: reason})."""
    raise NotImplementedError  # issue 13, helper A


def as_rows(figures: Figures) -> list[list[str | int | float | None]]:
    """The same as a table: a header row, then one row per figure (section, key, label,
    value, base, reason), for CSV, XLSX and `kring figures --format csv`. Labels in the active
    language."""
    raise NotImplementedError  # issue 13, helper A
