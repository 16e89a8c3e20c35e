"""The figures (R16, issue 13 point 2), computed in SQL: aggregates over the research tables
(research.models.ConferenceRecord, Answer, Invitation) and the anonymous state of cases, never a
Python loop over rows. A page, an export and `kring figures` all read `compute(selection)`,
which sums the summary of those aggregates per month and team (research.summary, issue 15,
docs/adr/0017-figures-summary.md); `compute_raw(selection)` reads the same aggregates
(research.counts) straight from the rows and always gives the same figures.

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

import calendar
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Team
from kring.cases.models import DeclineReason, StopReason
from kring.core import dates
from kring.research import counts
from kring.research.models import (
    Answer,
    AnswerRole,
    ConferenceRecord,
)
from kring.research.questionnaire import (
    CHANGES,
    HARMED_SCALES,
    SATISFIED,
)

# The reasons below say "5": keep them in step with MIN_GROUP.
MIN_GROUP = 5
# The days a figure, a filter or an imported conference may name (the figures form, `kring
# figures` and the import read them): Kring's days, defined once for every form in
# kring.core.dates. Outside them a date is refused with a message, never a crash of date
# arithmetic.
FIRST_DAY = dates.FIRST_DAY
LAST_DAY = dates.LAST_DAY


@dataclass(frozen=True)
class Selection:
    """Which conferences and requests: `start` to `end`, both days included (Amsterdam dates),
    of `team_ids` (None: every team, and for the funnel also requests not yet given to a
    team).

    Periods are whole calendar months: `start` snaps to the first day of its month and `end`
    to the last day of its month, so two periods one day apart (each figure shows its base)
    can never isolate one conference (docs/adr/0011-research.md). The page, the exports and
    `kring figures` all read the snapped period."""

    start: date
    end: date
    team_ids: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", self.start.replace(day=1))
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        object.__setattr__(self, "end", self.end.replace(day=last))


@dataclass(frozen=True)
class Figure:
    """One number and what it stands on. `key`: its name in JSON and CSV; `label`: what people
    read; `value`: an int (count), a float rounded to one decimal (mean, median, percentage), or
    None when suppressed or when there is nothing to compute from; `base`: the number of
    conferences or answers it is computed from (0 when the figure is not shown: the small
    number is not given away either); `unit`: "count", "mean" or "pct"; `reason`: why it is not
    shown (empty when it is)."""

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
    # The names of the selection's teams (empty: every team).
    team_names: tuple[str, ...] = ()


Label = str | Promise

# --- why a figure is not shown ------------------------------------------------------------------

FEWER_CONFERENCES = _("fewer than 5 conferences")
FEWER_LIVE = _(
    "fewer than 5 conferences in Kring (no questionnaires were sent for earlier conferences)"
)
HIDDEN_SMALL_TEAM = _("hidden so that a small team cannot be worked out")
HIDDEN_SMALL_GROUP = _("hidden so that a small group cannot be worked out")
FEWER_ANSWERS = _("fewer than 5 answers")
FEWER_INVITATIONS = _("fewer than 5 questionnaires sent")
FEWER_REQUESTS = _("fewer than 5 requests")
FEWER_CASES = _("fewer than 5 cases")
NO_CONFERENCES = _("no conferences in this period")
NO_ANSWERS = _("no answers yet")
NO_INVITATIONS = _("no questionnaires sent yet")

# --- what each figure is called -----------------------------------------------------------------

LABELS: dict[str, str | Promise] = {
    "conferences": _("Conferences held"),
    "participants_mean": _("Participants per conference (mean)"),
    "participants_median": _("Participants per conference (median)"),
    "responsible_satisfied_pct": _("Share of persons responsible who are satisfied"),
    "harmed_satisfied_pct": _("Share of persons harmed who are satisfied"),
    "harmed_restored_pct": _("Share of persons harmed who say the situation is restored"),
    "harmed_said_well_pct": _("Share of persons harmed who say things were said well"),
    "harmed_good_agreements_pct": _("Share of persons harmed who say good agreements were made"),
}
ANSWER_LABELS: dict[str, str | Promise] = {
    AnswerRole.HARMED: _("Answers from persons harmed"),
    AnswerRole.RESPONSIBLE: _("Answers from persons responsible"),
    AnswerRole.SUPPORTER: _("Answers from family, friends or acquaintances"),
    AnswerRole.OTHER: _("Answers from others"),
}
RESPONSE_LABELS: dict[str, str | Promise] = {
    AnswerRole.HARMED: _("Questionnaires filled in by persons harmed"),
    AnswerRole.RESPONSIBLE: _("Questionnaires filled in by persons responsible"),
    AnswerRole.SUPPORTER: _("Questionnaires filled in by family, friends or acquaintances"),
    AnswerRole.OTHER: _("Questionnaires filled in by others"),
}
CHANGE_LABELS: dict[str, str | Promise] = {
    "relations_restored": _("Share who say relations are better again"),
    "less_afraid": _("Share who are less afraid"),
    "feel_better": _("Share who feel better in themselves"),
    "move_on": _("Share who can get on with their life"),
}
FUNNEL_LABELS: dict[str, str | Promise] = {
    "requests": _("Requests"),
    "taken_on": _("Taken on"),
    "conferences_held": _("Conference held"),
    "plans_signed": _("Plan signed"),
    "plans_kept": _("All agreements kept"),
}
# The key of each share and the answers it reads: (role, question).
SHARES = {
    "responsible_satisfied_pct": (AnswerRole.RESPONSIBLE, SATISFIED.field),
    "harmed_satisfied_pct": (AnswerRole.HARMED, SATISFIED.field),
    "harmed_restored_pct": (AnswerRole.HARMED, HARMED_SCALES[0].field),
    "harmed_said_well_pct": (AnswerRole.HARMED, HARMED_SCALES[1].field),
    "harmed_good_agreements_pct": (AnswerRole.HARMED, HARMED_SCALES[2].field),
}
# The figures of each team's row (researchers), in this order.
TEAM_KEYS = ("conferences", "participants_mean", "responsible_satisfied_pct", "harmed_restored_pct")

ONE_DECIMAL = Decimal("0.1")


def _one_decimal(value: Decimal) -> float:
    """Rounded half up, as people expect (8.25 → 8.3), not to even."""
    return float(value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def _count(
    key: str, label: Label, n: int, small: Label, *, conferences: int | None = None
) -> Figure:
    """A count: 0 is shown; 1 to 4 are a small group (`small` says of what). `conferences`:
    the conferences the count comes from, when there are fewer than MIN_GROUP of those the count
    is suppressed too."""
    if conferences is not None and 0 < conferences < MIN_GROUP:
        return Figure(key, label, None, 0, "count", FEWER_CONFERENCES)
    if 0 < n < MIN_GROUP:
        return Figure(key, label, None, 0, "count", small)
    return Figure(key, label, n, n, "count")


def _share(
    key: str,
    label: Label,
    agreeing: int,
    answered: int,
    conferences: int,
    *,
    no: Label = NO_ANSWERS,
    fewer: Label = FEWER_ANSWERS,
) -> Figure:
    """100 × agreeing / answered, if both the conferences and the answers are at least
    MIN_GROUP. The base of a figure not shown is 0: the small number itself is not shown either."""
    if conferences == 0:
        return Figure(key, label, None, 0, "pct", NO_CONFERENCES)
    if conferences < MIN_GROUP:
        return Figure(key, label, None, 0, "pct", FEWER_CONFERENCES)
    if answered == 0:
        return Figure(key, label, None, 0, "pct", no)
    if answered < MIN_GROUP:
        return Figure(key, label, None, 0, "pct", fewer)
    value = _one_decimal(Decimal(100 * agreeing) / Decimal(answered))
    return Figure(key, label, value, answered, "pct")


def _response_rate(role: AnswerRole, done: int, sent: int, live: int, conferences: int) -> Figure:
    """Of the invitations to the first questionnaire, the part answered: from MIN_GROUP live
    conferences (the history has no invitations) and MIN_GROUP invitations on. A rate from 1 to
    4 questionnaires filled in is hidden too: with the number sent (its base) it gives that
    small number away."""
    label = RESPONSE_LABELS[role]
    if 0 < conferences < MIN_GROUP:
        return Figure(role.value, label, None, 0, "pct", FEWER_CONFERENCES)
    if conferences and live < MIN_GROUP:
        # The conferences are counted (imported ones too), but not enough were held in Kring.
        return Figure(role.value, label, None, 0, "pct", FEWER_LIVE)
    if 0 < done < MIN_GROUP:
        return Figure(role.value, label, None, 0, "pct", FEWER_ANSWERS)
    return _share(role.value, label, done, sent, live, no=NO_INVITATIONS, fewer=FEWER_INVITATIONS)


def _hide(figure: Figure, reason: Label) -> Figure:
    return Figure(figure.key, figure.label, None, 0, figure.unit, reason)


def _protect(
    figures: list[Figure], bases: list[int], total: int | None, reason: Label
) -> list[Figure]:
    """Complementary suppression: `figures` are the parts of a whole (a column of the per-team
    table, or the reasons of one section), `bases` their true bases (what a shown figure shows
    as its base, or its count). When the hidden parts together are a small group (1 to 4) and
    could be worked out as the whole (`total`; None: the sum of the parts, assumed known) minus
    the shown parts, the smallest shown part is hidden too, until what is hidden is 0 or at
    least MIN_GROUP (or no part above 0 is left shown)."""
    figures = list(figures)
    whole = sum(bases) if total is None else total

    def hidden() -> int:
        return whole - sum(b for f, b in zip(figures, bases, strict=True) if f.value is not None)

    while 0 < hidden() < MIN_GROUP:
        shown = [
            (b, i)
            for i, (f, b) in enumerate(zip(figures, bases, strict=True))
            if f.value is not None and b > 0
        ]
        if not shown:
            # Every part that is not 0 is hidden already: the whole is the small group itself
            # (and suppressed where it is shown).
            break
        _base, index = min(shown)
        figures[index] = _hide(figures[index], reason)
    return figures


def _per_conference(key: str, conferences: int, value: Decimal | None) -> Figure:
    """A mean or median of the participants present: from MIN_GROUP conferences on."""
    label = LABELS[key]
    if conferences == 0:
        return Figure(key, label, None, 0, "mean", NO_CONFERENCES)
    if conferences < MIN_GROUP or value is None:
        return Figure(key, label, None, 0, "mean", FEWER_CONFERENCES)
    return Figure(key, label, _one_decimal(value), conferences, "mean")


def _mean(total: int | None, n: int) -> Decimal | None:
    return Decimal(total or 0) / Decimal(n) if n else None


# --- the counts: from the rows, or from the summary ----------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What the figures of a selection are made of (research.counts names each count):
    `totals`, every count over the selection; `per_team`, per team id the counts of its row
    (`n`, `total` and each share of TEAM_KEYS; only when the selection spans several teams);
    `median`, the median of participants present (None under MIN_GROUP conferences)."""

    totals: Mapping[str, int]
    per_team: Mapping[int, Mapping[str, int]]
    median: Decimal | None


def _records(selection: Selection) -> QuerySet[ConferenceRecord]:
    return counts.records(selection.start, selection.end, selection.team_ids)


def _answers(selection: Selection) -> QuerySet[Answer]:
    return counts.answers(selection.start, selection.end, selection.team_ids)


def _median(records: QuerySet[ConferenceRecord], n: int) -> Decimal | None:
    """The middle value (or the mean of the two middle values) of the participants present,
    in SQL: ORDER BY with OFFSET and LIMIT. Not asked for fewer than MIN_GROUP conferences."""
    if n < MIN_GROUP:
        return None
    first = (n - 1) // 2
    middle = list(
        records.order_by("participants_present").values_list("participants_present", flat=True)[
            first : first + (1 if n % 2 else 2)
        ]
    )
    return Decimal(sum(middle)) / Decimal(len(middle))


def median_of(histogram: Iterable[tuple[int, int]], n: int) -> Decimal | None:
    """The same median as _median, from (value, how many) in ascending order of value."""
    if n < MIN_GROUP:
        return None
    first = (n - 1) // 2
    wanted = range(first, first + (1 if n % 2 else 2))
    middle: list[int] = []
    seen = 0
    for value, many in histogram:
        middle.extend(value for position in wanted if seen <= position < seen + many)
        seen += many
    return Decimal(sum(middle)) / Decimal(len(middle))


def _funnel(selection: Selection) -> dict[str, int]:
    """The requests of the period (by the day they came in, in Amsterdam) and how far each
    came, in one query of conditional counts. Live cases only; with every team, also the
    requests that have no team yet."""
    requests = counts.requests(selection.start, selection.end, selection.team_ids)
    return requests.aggregate(**counts.funnel_counts())


def team_shares() -> list[tuple[str, str]]:
    """The (role, question) of the shares in a team's row."""
    return [SHARES[key] for key in TEAM_KEYS if key in SHARES]


def team_count_keys() -> list[str]:
    """The counts a team's row is made of: its conferences, the participants present, and each
    share's answered and agreeing."""
    keys = ["n", "total"]
    for role, question in team_shares():
        keys += [f"{role}_{question}_n", f"{role}_{question}_agree"]
    return keys


def raw_counts(selection: Selection, *, per_team: bool) -> Counts:
    """The counts straight from the rows: the queries the summary's buckets are made of,
    over the selection (a fixed number of queries, each growing with the rows of the period)."""
    records = _records(selection)
    totals: dict[str, int] = dict(records.aggregate(**counts.record_counts()))
    totals["total"] = totals["total"] or 0
    totals.update(_answers(selection).aggregate(**counts.answer_counts(list(SHARES.values()))))
    totals.update(counts.invitations(records).aggregate(**counts.invitation_counts()))
    totals.update(_funnel(selection))
    teams: dict[int, dict[str, int]] = {}
    if per_team:
        for row in (
            records.order_by()
            .values("team_id")
            .annotate(n=Count("pk"), total=Sum("participants_present"))
        ):
            teams.setdefault(row["team_id"], {}).update(n=row["n"], total=row["total"] or 0)
        aggregates: dict = {}
        for role, question in team_shares():
            aggregates.update(counts.agree(role, question))
        for answered in (
            _answers(selection).order_by().values("record__team_id").annotate(**aggregates)
        ):
            values: dict[str, Any] = dict(answered)
            teams.setdefault(values.pop("record__team_id"), {}).update(values)
    return Counts(totals, teams, _median(records, totals["n"]))


def _team_rows(
    teams: list[tuple[int, str]],
    per_team: Mapping[int, Mapping[str, int]],
    totals: Mapping[str, int],
) -> tuple[TeamRow, ...]:
    """Each team's main figures from its counts. `totals`: each column's base over every team
    of the selection (the page shows it): a column whose hidden teams could be worked out from
    it hides more (_protect)."""
    shares = {key: SHARES[key] for key in TEAM_KEYS if key in SHARES}
    rows: list[list[Figure]] = []
    bases: list[list[int]] = []
    for team_id, _name in teams:
        team = per_team.get(team_id, {})
        n = team.get("n", 0)
        figures = [
            _count("conferences", LABELS["conferences"], n, FEWER_CONFERENCES),
            _per_conference("participants_mean", n, _mean(team.get("total"), n)),
        ]
        row_bases = [n, n]
        for key, (role, question) in shares.items():
            answered = team.get(f"{role}_{question}_n", 0)
            figures.append(
                _share(key, LABELS[key], team.get(f"{role}_{question}_agree", 0), answered, n)
            )
            row_bases.append(answered)
        rows.append(figures)
        bases.append(row_bases)
    # Column by column: the whole minus the teams shown must not give away a small team.
    for column, key in enumerate(TEAM_KEYS):
        protected = _protect(
            [row[column] for row in rows],
            [row_bases[column] for row_bases in bases],
            totals[key],
            HIDDEN_SMALL_TEAM,
        )
        for row, figure in zip(rows, protected, strict=True):
            row[column] = figure
    return tuple(TeamRow(name, tuple(row)) for (_pk, name), row in zip(teams, rows, strict=True))


def _reasons(
    funnel: Mapping[str, int], section: str, reasons: type[DeclineReason] | type[StopReason]
) -> tuple[Figure, ...]:
    """The count per reason, a count of 1 to 4 hidden; and when the hidden reasons together are
    1 to 4 (their sum could be worked out from a total), the next-smallest shown one too."""
    counts = [funnel[f"{section}_{r.value}"] for r in reasons]
    return tuple(
        _protect(
            [
                _count(r.value, r.label, count, FEWER_CASES)
                for r, count in zip(reasons, counts, strict=True)
            ],
            counts,
            None,
            HIDDEN_SMALL_GROUP,
        )
    )


def compute(selection: Selection) -> Figures:
    """Every figure of `selection`, from the summary (research.summary: buckets per month and
    team, brought up to date first), in a fixed number of queries that do not grow with the
    data. Always equal to compute_raw (docs/adr/0017-figures-summary.md). While the whole
    summary waits for its rebuild (after the migration, or rows loaded around Kring), the
    figures are read from the rows, as compute_raw does."""
    from kring.research import summary

    if summary.refresh(rebuild=False) is None:
        return _compute(selection, raw_counts)
    return _compute(selection, summary.counts)


def compute_raw(selection: Selection) -> Figures:
    """Every figure of `selection` straight from the rows (the definition; the summary's tests
    and the benchmark compare with it): a fixed number of queries that grow with the rows."""
    return _compute(selection, raw_counts)


def _compute(selection: Selection, read: Callable[..., Counts]) -> Figures:
    team_query = Team.objects.order_by("name")
    if selection.team_ids is not None:
        team_query = team_query.filter(pk__in=selection.team_ids)
    teams = list(team_query.values_list("pk", "name"))
    spans_teams = selection.team_ids is None or len(selection.team_ids) > 1

    found = read(selection, per_team=spans_teams)
    totals = found.totals
    n, live = totals["n"], totals["live"]

    shares = {
        key: _share(
            key,
            LABELS[key],
            totals[f"{role}_{question}_agree"],
            totals[f"{role}_{question}_n"],
            n,
        )
        for key, (role, question) in SHARES.items()
    }
    return Figures(
        selection=selection,
        conferences=_count("conferences", LABELS["conferences"], n, FEWER_CONFERENCES),
        participants_mean=_per_conference("participants_mean", n, _mean(totals["total"], n)),
        participants_median=_per_conference("participants_median", n, found.median),
        **shares,
        answers=tuple(
            _count(
                role.value,
                ANSWER_LABELS[role],
                totals[f"answers_{role.value}"],
                FEWER_ANSWERS,
                conferences=n,
            )
            for role in AnswerRole
        ),
        response_rates=tuple(
            _response_rate(
                role, totals[f"done_{role.value}"], totals[f"sent_{role.value}"], live, n
            )
            for role in AnswerRole
        ),
        changes=tuple(
            _share(
                q.field,
                CHANGE_LABELS[q.field],
                totals[f"{q.field}_yes"],
                totals[f"{q.field}_n"],
                n,
            )
            for q in CHANGES
        ),
        funnel=(
            _count("requests", FUNNEL_LABELS["requests"], totals["requests"], FEWER_REQUESTS),
            _count("taken_on", FUNNEL_LABELS["taken_on"], totals["taken_on"], FEWER_CASES),
            _count(
                "conferences_held",
                FUNNEL_LABELS["conferences_held"],
                totals["conferences_held"],
                FEWER_CONFERENCES,
            ),
            _count(
                "plans_signed", FUNNEL_LABELS["plans_signed"], totals["plans_signed"], FEWER_CASES
            ),
            _count("plans_kept", FUNNEL_LABELS["plans_kept"], totals["plans_kept"], FEWER_CASES),
        ),
        declined=_reasons(totals, "declined", DeclineReason),
        stopped=_reasons(totals, "stopped", StopReason),
        teams=_team_rows(
            teams,
            found.per_team,
            {
                "conferences": n,
                "participants_mean": n,
                **{key: totals[f"{role}_{question}_n"] for key, (role, question) in SHARES.items()},
            },
        )
        if spans_teams
        else (),
        team_names=() if selection.team_ids is None else tuple(name for _pk, name in teams),
    )


# --- JSON and a table ---------------------------------------------------------------------------

MAIN_KEYS = (
    "conferences",
    "participants_mean",
    "participants_median",
    *SHARES,
)
# The sections of the table (as_rows) and the JSON objects, after the main figures.
SECTIONS = ("answers", "response_rates", "changes", "funnel", "declined", "stopped")


def _sections(figures: Figures) -> Iterator[tuple[str, Figure]]:
    """(section, figure) for every figure, in the order of the table."""
    for key in MAIN_KEYS:
        figure = getattr(figures, key)
        yield ("conferences" if figure.unit != "pct" else "shares"), figure
    for section in SECTIONS:
        for figure in getattr(figures, section):
            yield section, figure


def as_json(figures: Figures) -> dict:
    """One JSON-ready object: at least `conferences`, `participants_mean`,
    `participants_median`, `responsible_satisfied_pct`, `harmed_satisfied_pct`,
    `harmed_restored_pct`, `harmed_said_well_pct`, `harmed_good_agreements_pct` (numbers or
    null), `answers` ({role: count or null}), plus `from`, `to`, `team`, `response_rates`,
    `changes`, `funnel`, `declined`, `stopped`, and `suppressed` ({key: reason}).

    `team` is the team's name, null for every team, a list of names for several. `teams`: one
    object per team with its name and main figures when the selection spans several teams
    (empty for one team).
    Keys in `suppressed` are the figure's key, or `section.key` for the figures in a section
    (`answers.harmed`), or `teams.<name>.key`."""
    names = figures.team_names
    data: dict = {
        "from": figures.selection.start.isoformat(),
        "to": figures.selection.end.isoformat(),
        "team": None
        if figures.selection.team_ids is None
        else (names[0] if len(names) == 1 else list(names)),
    }
    suppressed: dict[str, str] = {}
    for key in MAIN_KEYS:
        figure = getattr(figures, key)
        data[key] = figure.value
        if figure.reason:
            suppressed[key] = str(figure.reason)
    for section in SECTIONS:
        data[section] = {}
        for figure in getattr(figures, section):
            data[section][figure.key] = figure.value
            if figure.reason:
                suppressed[f"{section}.{figure.key}"] = str(figure.reason)
    data["teams"] = []
    for row in figures.teams:
        data["teams"].append({"team": row.team, **{f.key: f.value for f in row.figures}})
        for f in row.figures:
            if f.reason:
                suppressed[f"teams.{row.team}.{f.key}"] = str(f.reason)
    data["suppressed"] = suppressed
    return data


HEADER = ["section", "key", "label", "value", "base", "reason"]
# What a spreadsheet runs as a formula when a cell starts with it (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text as a spreadsheet reads it: text that it would run as a formula (a team named
    "=HYPERLINK(...)") starts with a quote. Every table (CSV, XLSX, `kring figures --format
    csv`) reads as_rows, which applies it to every text cell."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def as_rows(figures: Figures) -> list[list[str | int | float | None]]:
    """The same as a table: a header row, then one row per figure (section, key, label,
    value, base, reason), for CSV, XLSX and `kring figures --format csv`. Labels in the active
    language.

    A figure not shown has an empty value and base (None) and its reason. Sections:
    `conferences`, `shares`, then those of as_json; per team (section `teams`) the key is
    `<team>.<key>` and the label starts with the team's name. Text a spreadsheet would run as a
    formula starts with a quote (safe_text)."""
    rows: list[list[str | int | float | None]] = [list(HEADER)]

    def row(section: str, key: str, label: Label, figure: Figure) -> None:
        shown = figure.value is not None
        base = figure.base if shown else None
        cells = [section, key, str(label), figure.value, base, str(figure.reason)]
        rows.append([safe_text(c) if isinstance(c, str) else c for c in cells])

    for section, figure in _sections(figures):
        row(section, figure.key, figure.label, figure)
    for team in figures.teams:
        for figure in team.figures:
            row("teams", f"{team.team}.{figure.key}", f"{team.team}: {figure.label}", figure)
    return rows
