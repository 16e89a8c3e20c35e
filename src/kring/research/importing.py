"""The historical import (issue 13, point 3): conferences from before Kring, so the figures
continue. `kring import-history FILE.csv [--create-teams]` and the upload page
(research.import_views) both call `read(...)` then `run(...)`.

The file: UTF-8 CSV (a byte-order mark allowed), a header row with exactly these columns (in
any order; names compared without case and surrounding spaces): conference_ref, held_on, team,
participants_present, role, satisfied, situation_restored, said_well, good_agreements. Commas
separate the cells; a file whose header has semicolons and no comma (what a Dutch spreadsheet
program saves as CSV) is read with semicolons. Empty lines are skipped. One row per answered
questionnaire; a conference without answers has one row with an empty role. Per row (cells
are stripped of surrounding spaces, and none may be longer than `MAX_CELL` characters):

- `conference_ref`: not empty, at most 100 characters; the rows of one conference (same team
  and ref) agree on held_on and participants_present, and a row with an empty role is its
  conference's only row;
- `held_on`: YYYY-MM-DD exactly (`2024-1-5` is a fault), a real date from 1 January 1990
  (research.figures.FIRST_DAY: Kring's method is younger; an earlier date is a typing mistake) up to today
  (Amsterdam), not in the future;
- `team`: the name of a team, compared without case (an unknown team is a fault unless teams
  may be created: then it is made with the name as the file spells it); the actor must be
  allowed to import for it (research.policy.may_import_history: a manager only their own team,
  so a row of another team is a fault);
- `participants_present`: a whole number of at least 2, at most 999;
- `role`: harmed, responsible, supporter, other (without case), or empty (then the four numbers
  are empty too);
- `satisfied`, `situation_restored`, `said_well`, `good_agreements` (the questions on the scale,
  research.questionnaire.SCALE_FIELDS): a whole number on research.questionnaire.SCALE (1 to
  5), or empty; the last three (questionnaire.HARMED_ONLY) only for role harmed.

A file with any fault imports nothing, and every fault is reported: line (the row's number as
a spreadsheet shows it: the header is line 1), column, value (shortened to `SHOWN`
characters) and reason, in the active language. A fault of the whole file (not UTF-8, empty, no
CSV, a header without a column or with one it does not know) has no line. At most `MAX_ROWS`
rows are read (a longer file is a fault), and at most `MAX_FAULTS` faults are listed (the rest
are counted). A conference already imported (same team and ref) with the same day, number
present and answers is skipped, so importing a file twice changes nothing the second time; one
already imported with different values is a fault. That check runs on every conference whose
rows have no fault of their own, also when other rows have faults, so one upload reports every
fault (not one more on the next upload); a conference that one of its lines may belong to but
could not be read (a line with the wrong number of cells, or the reading stopped) is not
compared. `run` writes everything in one transaction
with bulk inserts; a `HistoryImport` row and an audit event ("research.history_imported":
counts and the file's hash, never its content) record it, also when it added nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Team
from kring.audit.actors import staff_user
from kring.audit.log import record
from kring.core.policy import Refused, enforce, rule
from kring.research import policy
from kring.research import summary as figures_summary
from kring.research.figures import FIRST_DAY
from kring.research.models import (
    Answer,
    AnswerRole,
    ConferenceRecord,
    HistoryImport,
    Round,
    Source,
)
from kring.research.questionnaire import HARMED_ONLY, SCALE, SCALE_FIELDS

if TYPE_CHECKING:
    from kring.audit.actors import By

COLUMNS = (
    "conference_ref",
    "held_on",
    "team",
    "participants_present",
    "role",
    "satisfied",
    "situation_restored",
    "said_well",
    "good_agreements",
)
# The questions are research.questionnaire's (defined once): the columns must name them.
assert COLUMNS[-len(SCALE_FIELDS) :] == SCALE_FIELDS
ROLES = tuple(AnswerRole.values)

MAX_ROWS = 100_000
MAX_CELL = 200
MAX_REF = 100  # ConferenceRecord.import_ref
MAX_TEAM = 100  # Team.name
MAX_PRESENT = 999
SHOWN = 50  # characters of a value repeated in a fault
MAX_FAULTS = 10_000
# The command reads a file from disk; the upload page allows less (import_forms.MAX_BYTES).
MAX_FILE_BYTES = 64 * 1024 * 1024
BATCH = 1000

IMPORTED = "research.history_imported"

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE = re.compile(r"\d{1,9}")
ZIP_START = b"PK\x03\x04"  # an XLSX or ODS file is a zip
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # what a spreadsheet saves as "Unicode text"


def _format(message: Any, params: dict[str, Any]) -> str:
    return str(message) % params


# A reason with its numbers, translated when it is shown (in the reader's language).
_reason = lazy(_format, str)


def _shorten(value: str) -> str:
    return value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"


@dataclass(frozen=True)
class Fault:
    """One thing wrong: `line` in the file (the header is 1; None for the whole file), the
    `column`'s name as the file should have it ("" when the fault is not one cell's), the
    `value` shortened, and the `reason` in the reader's language."""

    line: int | None
    column: str
    value: str
    reason: str | Promise


@dataclass(frozen=True)
class AnswerRow:
    role: str
    satisfied: int | None = None
    situation_restored: int | None = None
    said_well: int | None = None
    good_agreements: int | None = None

    def key(self) -> tuple:
        scales = (self.satisfied, self.situation_restored, self.said_well, self.good_agreements)
        return (self.role, *scales)


@dataclass
class Conference:
    """One conference to add: its team's name (as Kring knows it, or as it will be made), its
    reference, day, number present, its answers, and the lines it came from."""

    team: str
    ref: str
    held_on: date
    participants_present: int
    answers: list[AnswerRow] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class Result:
    """What `read` found: the faults (empty when the file is good), or the conferences to add
    and how many were skipped as imported before; the file's hash, the rows read, and the teams
    to make."""

    sha256: str
    rows: int = 0
    faults: list[Fault] = field(default_factory=list)
    more_faults: int = 0  # faults past MAX_FAULTS: counted, not listed
    conferences: list[Conference] = field(default_factory=list)
    skipped: int = 0
    new_teams: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def fault_count(self) -> int:
        return len(self.faults) + self.more_faults

    @property
    def answer_count(self) -> int:
        return sum(len(conference.answers) for conference in self.conferences)

    def add(self, line: int | None, column: str, value: str, reason: str | Promise) -> None:
        if len(self.faults) >= MAX_FAULTS:
            self.more_faults += 1
            return
        self.faults.append(Fault(line, column, _shorten(value), reason))


@dataclass
class _Row:
    """One data row as read: the parts the checks across rows need (None where the cell has a
    fault of its own)."""

    line: int
    group: tuple[str, str] | None  # (the team's key, ref)
    held_on: date | None
    held_on_raw: str
    present: int | None
    present_raw: str
    answer: AnswerRow | None  # None: no answer (an empty role, or a fault in the role)
    empty_role: bool  # the row of a conference without answers
    ok: bool


class _Teams:
    """The teams a file names, each looked up once: known (and may the actor import for it?),
    or unknown (made when teams may be created)."""

    def __init__(self, by: By, create: bool):
        self.by = by
        self.create = create
        self.known = {team.name.casefold(): team for team in Team.objects.all()}
        self.new: dict[str, str] = {}  # key -> the name as the file first spells it
        self._refusals: dict[int, bool] = {}

    def check(self, name: str) -> str | Promise | None:
        """The reason `name` cannot be imported for, or None."""
        if not name:
            return _("Fill in the team.")
        if len(name) > MAX_TEAM:
            return _reason(_("A team's name has at most %(max)s characters."), {"max": MAX_TEAM})
        key = name.casefold()
        team = self.known.get(key)
        if team is None:
            if not self.create:
                return _("There is no team with this name.")
            self.new.setdefault(key, name)
            return None
        if team.pk not in self._refusals:
            self._refusals[team.pk] = policy.may_import_history(self.by, team) is not None
        if self._refusals[team.pk]:
            return _("You may not import for this team.")
        return None

    def name(self, key: str) -> str:
        team = self.known.get(key)
        return team.name if team is not None else self.new[key]


def read(data: bytes, *, by: By, create_teams: bool = False) -> Result:
    """Parse and check the whole file for `by` (a manager, an administrator, or the system);
    nothing is written. `create_teams`: make unknown teams (research.policy.may_create_teams;
    asking for it without the right is a NotAllowed). Returns the faults, or the conferences to
    add (and how many are already imported)."""
    enforce(policy.may_import_history(by))
    if create_teams:
        enforce(policy.may_create_teams(by))
    result = Result(sha256=hashlib.sha256(data).hexdigest())
    text = _text(data, result)
    if text is None:
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if "," not in first_line and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        result.add(None, "", "", _("This file is not a CSV file: its first line is not a header."))
        return result
    index = _header(header, result)
    if index is None:
        return result
    teams = _Teams(by, create_teams)
    unsure: set[tuple[str, str]] = set()  # groups a line that could not be read may belong to
    rows, stopped = _rows(reader, header, index, teams, result, unsure)
    groups: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        if row.group is not None:
            groups[row.group].append(row)
    disagree = _across(groups, result)
    # Every conference without a fault of its own is compared with what was imported before,
    # also when other rows have faults: one upload names every fault.
    conferences = [
        _conference(teams.name(key), ref, members)
        for (key, ref), members in groups.items()
        if not stopped
        and (key, ref) not in disagree
        and (key, ref) not in unsure
        and all(row.ok for row in members)
    ]
    _already_imported(conferences, teams, result)
    if not result.ok:
        result.faults.sort(key=_order)
        return result
    result.new_teams = sorted(teams.new.values(), key=str.casefold)
    result.conferences = conferences
    return result


def _order(fault: Fault) -> tuple[int, int]:
    column = COLUMNS.index(fault.column) if fault.column in COLUMNS else -1
    return (fault.line or 0, column)


def _text(data: bytes, result: Result) -> str | None:
    """The file as text, or None with the fault that makes it unreadable."""
    if len(data) > MAX_FILE_BYTES:
        result.add(
            None,
            "",
            "",
            _reason(
                _("The file is larger than %(mb)s MB: split it into smaller files."),
                {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            ),
        )
        return None
    if data.startswith(ZIP_START):
        result.add(
            None,
            "",
            "",
            _(
                "This is a spreadsheet file, not a CSV file. Save it from your spreadsheet "
                "program as “CSV UTF-8” and upload that file."
            ),
        )
        return None
    if data.startswith(UTF16_MARKS):
        result.add(None, "", "", _not_utf8(1))
        return None
    if b"\x00" in data:
        result.add(None, "", "", _("This file is not a CSV file: it is not plain text."))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        result.add(None, "", "", _not_utf8(data[: error.start].count(b"\n") + 1))
        return None
    if not text.strip():
        result.add(None, "", "", _("The file is empty."))
        return None
    return text


def _not_utf8(line: int) -> str:
    return _reason(
        _(
            "The file is not UTF-8 text (see line %(line)s). Save it from your "
            "spreadsheet program as “CSV UTF-8” and upload that file."
        ),
        {"line": line},
    )


def _header(header: list[str], result: Result) -> dict[str, int] | None:
    """Where each column is, or None when the header has a fault (each one reported)."""
    names = [cell.strip().casefold() for cell in header]
    seen: dict[str, int] = {}
    for position, (raw, name) in enumerate(zip(header, names, strict=True), start=1):
        if not name:
            result.add(
                1,
                "",
                raw,
                _reason(_("Column %(number)s of the header has no name."), {"number": position}),
            )
        elif name not in COLUMNS:
            result.add(
                1,
                "",
                raw,
                _reason(
                    _("Kring does not know this column. The columns are: %(columns)s."),
                    {"columns": ", ".join(COLUMNS)},
                ),
            )
        elif name in seen:
            result.add(1, name, raw, _("This column is in the header more than once."))
        else:
            seen[name] = position - 1
    for name in COLUMNS:
        if name not in seen:
            result.add(1, name, "", _("This column is missing from the header."))
    return seen if result.ok else None


def _rows(
    reader: Iterator[list[str]],
    header: list[str],
    index: dict[str, int],
    teams: _Teams,
    result: Result,
    unsure: set[tuple[str, str]],
) -> tuple[list[_Row], bool]:
    """The rows read, and whether the reading stopped before the end of the file. A line with
    the wrong number of cells adds the conference it seems to name to `unsure`."""
    today = timezone.localdate()  # the last day allowed, read once
    rows: list[_Row] = []
    stopped = False
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.add(
                line + 1,
                "",
                "",
                _(
                    "This line is not valid CSV (a quotation mark is not closed, or text "
                    "follows one). Nothing after it was read."
                ),
            )
            stopped = True
            break
        line += 1
        if not any(cell.strip() for cell in cells):
            continue
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.add(
                line,
                "",
                "",
                _reason(
                    _("The file has more than %(max)s rows: split it into smaller files."),
                    {"max": MAX_ROWS},
                ),
            )
            result.rows -= 1
            stopped = True
            break
        if len(cells) != len(header):
            result.add(
                line,
                "",
                "",
                _reason(
                    _("Cells on this line: %(count)s; the header has %(columns)s."),
                    {"count": len(cells), "columns": len(header)},
                ),
            )
            ref, team = index["conference_ref"], index["team"]
            if max(ref, team) < len(cells):
                unsure.add((cells[team].strip().casefold(), cells[ref].strip()))
            continue
        rows.append(
            _row(line, {name: cells[i].strip() for name, i in index.items()}, teams, result, today)
        )
    return rows, stopped


def _row(line: int, cell: dict[str, str], teams: _Teams, result: Result, today: date) -> _Row:
    before = result.fault_count

    def fault(column: str, reason: str | Promise) -> None:
        result.add(line, column, cell[column], reason)

    long = {name for name in COLUMNS if len(cell[name]) > MAX_CELL}
    for name in COLUMNS:
        if name in long:
            fault(name, _reason(_("Longer than %(max)s characters."), {"max": MAX_CELL}))

    ref = cell["conference_ref"]
    if "conference_ref" not in long:
        if not ref:
            fault("conference_ref", _("Fill in the conference's reference."))
        elif len(ref) > MAX_REF:
            fault(
                "conference_ref",
                _reason(_("A reference has at most %(max)s characters."), {"max": MAX_REF}),
            )
    # The rows of one conference are compared even when its team is refused or unknown.
    grouped = result.fault_count == before and bool(cell["team"]) and "team" not in long
    team_name = cell["team"]
    if "team" not in long and (reason := teams.check(team_name)) is not None:
        fault("team", reason)
    group = (team_name.casefold(), ref) if grouped else None

    held_on = _day(cell["held_on"], today) if "held_on" not in long else None
    if isinstance(held_on, str | Promise):
        fault("held_on", held_on)
        held_on = None

    present = None
    raw = cell["participants_present"]
    if "participants_present" not in long:
        if not raw:
            fault("participants_present", _("Fill in how many people were present."))
        elif not WHOLE.fullmatch(raw):
            fault("participants_present", _("Use a whole number, such as 8."))
        elif int(raw) < 2:
            fault("participants_present", _("At least 2 people are present at a conference."))
        elif int(raw) > MAX_PRESENT:
            fault(
                "participants_present",
                _reason(_("At most %(max)s: is this a typing mistake?"), {"max": MAX_PRESENT}),
            )
        else:
            present = int(raw)

    answer = _answer(cell, long, fault)
    return _Row(
        line=line,
        group=group,
        held_on=held_on,
        held_on_raw=cell["held_on"],
        present=present,
        present_raw=raw,
        answer=answer,
        empty_role=not cell["role"],
        ok=result.fault_count == before,
    )


def _day(raw: str, today: date) -> date | str | Promise:
    """The day, or the reason it is not one."""
    if not raw:
        return _("Fill in the day of the conference.")
    if not DAY.fullmatch(raw):
        return _("Write the day as year-month-day with dashes, such as 2019-03-28.")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return _("This day does not exist.")
    if day < FIRST_DAY:
        return _reason(
            _("This day is before %(earliest)s: is it a typing mistake?"),
            {"earliest": FIRST_DAY.isoformat()},
        )
    if day > today:
        return _("This day is in the future.")
    return day


def _answer(
    cell: dict[str, str], long: set[str], fault: Callable[[str, str | Promise], None]
) -> AnswerRow | None:
    raw_role = cell["role"]
    role = raw_role.casefold()
    numbers: dict[str, int | None] = {}
    for name in SCALE_FIELDS:
        raw = cell[name]
        numbers[name] = None
        if name in long or not raw:
            continue
        if not WHOLE.fullmatch(raw) or int(raw) not in SCALE:
            fault(
                name,
                _reason(
                    _("Use a whole number from %(low)s to %(high)s, or leave it empty."),
                    {"low": SCALE[0], "high": SCALE[-1]},
                ),
            )
            continue
        numbers[name] = int(raw)
    if "role" in long:
        return None
    if not role:
        for name in SCALE_FIELDS:
            if cell[name]:
                fault(
                    name,
                    _(
                        "A row without a role is a conference without answers: leave the "
                        "answers empty, or fill in the role."
                    ),
                )
        return None
    if role not in ROLES:
        fault(
            "role",
            _("Use harmed, responsible, supporter or other, or leave it empty."),
        )
        return None
    if role != AnswerRole.HARMED:
        for name in HARMED_ONLY:
            if cell[name]:
                fault(name, _("Only the person harmed answers this question: leave it empty."))
    return AnswerRow(role=role, **numbers)


def _across(groups: dict[tuple[str, str], list[_Row]], result: Result) -> set[tuple[str, str]]:
    """The rows of one conference agree on its day and number present, and a conference
    without answers has only its one row; each disagreeing line is named. Returns the groups
    with such a fault."""
    faulty: set[tuple[str, str]] = set()
    for group, rows in groups.items():
        ref = group[1]
        if len(rows) < 2:
            continue
        before = result.fault_count
        lines = [row.line for row in rows]
        for column, value, raw in (
            ("held_on", lambda r: r.held_on, lambda r: r.held_on_raw),
            ("participants_present", lambda r: r.present, lambda r: r.present_raw),
        ):
            if len({value(row) for row in rows if value(row) is not None}) < 2:
                continue
            for row in rows:
                if value(row) is not None:
                    result.add(
                        row.line,
                        column,
                        raw(row),
                        _reason(
                            _(
                                "The rows of conference %(ref)s do not agree on this. Its "
                                "other lines: %(lines)s."
                            ),
                            {"ref": ref, "lines": _others(lines, row.line)},
                        ),
                    )
        for row in rows:
            if row.empty_role:
                result.add(
                    row.line,
                    "role",
                    "",
                    _reason(
                        _(
                            "A row without a role is only for a conference without answers, "
                            "but conference %(ref)s has more lines: %(lines)s."
                        ),
                        {"ref": ref, "lines": _others(lines, row.line)},
                    ),
                )
        if result.fault_count != before:
            faulty.add(group)
    return faulty


def _others(lines: list[int], line: int) -> str:
    return ", ".join(str(other) for other in lines if other != line)


def _conference(team: str, ref: str, rows: list[_Row]) -> Conference:
    first = rows[0]
    assert first.held_on is not None and first.present is not None
    return Conference(
        team=team,
        ref=ref,
        held_on=first.held_on,
        participants_present=first.present,
        answers=[row.answer for row in rows if row.answer is not None],
        lines=[row.line for row in rows],
    )


def _already_imported(conferences: list[Conference], teams: _Teams, result: Result) -> None:
    """Drop the conferences imported before with the same values (counted as skipped); one
    imported before with other values is a fault on each of its lines."""
    team_ids = {
        teams.known[c.team.casefold()].pk for c in conferences if c.team.casefold() in teams.known
    }
    if not team_ids:
        return
    existing = {
        (team_id, ref): (pk, held_on, present)
        for pk, team_id, ref, held_on, present in ConferenceRecord.objects.filter(
            source=Source.IMPORTED, team_id__in=team_ids
        ).values_list("pk", "team_id", "import_ref", "held_on", "participants_present")
    }
    if not existing:
        return
    answers: dict[int, Counter] = defaultdict(Counter)
    for record_id, *values in Answer.objects.filter(
        record__source=Source.IMPORTED, record__team_id__in=team_ids, round=Round.FIRST
    ).values_list("record_id", "role", *SCALE_FIELDS):
        answers[record_id][tuple(values)] += 1
    keep = []
    for conference in conferences:
        team = teams.known.get(conference.team.casefold())
        found = existing.get((team.pk, conference.ref)) if team is not None else None
        if found is None:
            keep.append(conference)
            continue
        pk, held_on, present = found
        same = (
            held_on == conference.held_on
            and present == conference.participants_present
            and answers[pk] == Counter(a.key() for a in conference.answers)
        )
        if same:
            result.skipped += 1
            continue
        for line in conference.lines:
            result.add(
                line,
                "conference_ref",
                conference.ref,
                _(
                    "This conference was imported before with other values. Kring does not "
                    "change a conference imported before: leave its rows out, or give it "
                    "another reference."
                ),
            )
    conferences[:] = keep


def run(result: Result, *, by: By) -> HistoryImport:
    """Write what `read` found, in one transaction: the new teams, the conferences and their
    answers (bulk inserts), a HistoryImport row and the audit event. The policy is enforced
    again inside the transaction; a conference imported meanwhile (by another upload of the
    same rows) is refused, and nothing is written."""
    if not result.ok:
        raise ValueError("a file with faults imports nothing")
    try:
        with transaction.atomic():
            return _write(result, by)
    except IntegrityError as error:
        raise Refused(
            rule(
                "imported_meanwhile",
                _("Some of these conferences were imported meanwhile. Upload the file again."),
            )
        ) from error


def _write(result: Result, by: By) -> HistoryImport:
    enforce(policy.may_import_history(by))
    if result.new_teams:
        enforce(policy.may_create_teams(by))
    teams = {team.name.casefold(): team for team in Team.objects.all()}
    for name in result.new_teams:
        if name.casefold() not in teams:
            teams[name.casefold()] = Team.objects.create(name=name)
    used = {teams[c.team.casefold()] for c in result.conferences}
    for team in used:
        enforce(policy.may_import_history(by, team))
    records = ConferenceRecord.objects.bulk_create(
        [
            ConferenceRecord(
                source=Source.IMPORTED,
                import_ref=c.ref,
                team=teams[c.team.casefold()],
                held_on=c.held_on,
                participants_present=c.participants_present,
            )
            for c in result.conferences
        ],
        batch_size=BATCH,
    )
    answers = [
        Answer(
            record=made,
            role=answer.role,
            round=Round.FIRST,
            satisfied=answer.satisfied,
            situation_restored=answer.situation_restored,
            said_well=answer.said_well,
            good_agreements=answer.good_agreements,
        )
        for made, conference in zip(records, result.conferences, strict=True)
        for answer in conference.answers
    ]
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    # The figures' summary: the months and teams of the new conferences (before the record).
    figures_summary.mark_buckets((made.held_on, made.team_id) for made in records)
    done = HistoryImport.objects.create(
        imported_by=staff_user(by),
        sha256=result.sha256,
        rows=result.rows,
        conferences_added=len(records),
        answers_added=len(answers),
    )
    record(
        IMPORTED,
        actor=by,
        obj=done,
        data={
            "sha256": result.sha256,
            "rows": result.rows,
            "conferences_added": len(records),
            "answers_added": len(answers),
            "skipped": result.skipped,
            "teams_created": len(result.new_teams),
        },
    )
    return done


def summary(result: Result, done: HistoryImport) -> list[str]:
    """What an import did, one sentence a line, for the page and the command."""
    lines = [
        gettext("Conferences added: %(count)s.") % {"count": done.conferences_added},
        gettext("Answers added: %(count)s.") % {"count": done.answers_added},
        gettext("Conferences skipped because they were imported before: %(count)s.")
        % {"count": result.skipped},
    ]
    if result.new_teams:
        lines.append(gettext("Teams made: %(teams)s.") % {"teams": ", ".join(result.new_teams)})
    return lines
