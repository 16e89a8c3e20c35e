"""The historical import (issue 13, point 3) through `kring import-history` and
research.importing: a good file adds its conferences and answers once (a second import adds
nothing and says so), a file with any fault imports nothing and names every fault with its
line, column, value and reason, in English or Dutch. The checked example of the issue (a bad
date, an unknown role, a 7 on the 1-to-5 scale and two rows of one conference that disagree on
participants_present) is the first test."""

import tracemalloc
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext

from kring.accounts.models import Role, Team, User
from kring.audit.labels import label
from kring.audit.models import AuditEvent
from kring.core.policy import NotAllowed, Refused
from kring.research import figures, importing, questionnaire
from kring.research.models import Answer, ConferenceRecord, HistoryImport, Source
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "conference_ref,held_on,team,participants_present,role,"
    "satisfied,situation_restored,said_well,good_agreements"
)

# The checked example: line 3 disagrees with line 2 on participants_present, line 4
# has a bad date, line 5 an unknown role, line 6 a 7 on the 1-to-5 scale; line 7 is good.
CHECKED_EXAMPLE = [
    "EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4",
    "EK-1,2019-03-28,Team Utrecht,7,responsible,4,,,",
    "EK-2,2024-1-5,Team Utrecht,6,responsible,4,,,",
    "EK-3,2020-05-01,Team Utrecht,5,victim,4,,,",
    "EK-4,2021-06-01,Team Utrecht,9,supporter,7,,,",
    "EK-5,2022-01-10,Team Utrecht,4,,,,,",
]

GOOD = [
    "EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4",
    "EK-1,2019-03-28,Team Utrecht,8,responsible,4,,,",
    "EK-1,2019-03-28,Team Utrecht,8,supporter,3,,,",
    "EK-2,2019-04-02,Team Utrecht,6,,,,,",
    "EK-3,2020-11-30,Team Zwolle,10,other,,,,",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def reasons(result) -> list[tuple]:
    return [(f.line, f.column, f.value, str(f.reason)) for f in result.faults]


@pytest.fixture
def teams(team, other_team):
    return team, other_team


@pytest.fixture
def vera(other_team):
    return UserFactory(username="vera", first_name="Vera", role=Role.MANAGER, team=other_team)


@pytest.fixture
def csv_file(tmp_path):
    def write(*rows: str, name: str = "history.csv", **kwargs) -> str:
        path = tmp_path / name
        path.write_bytes(csv_bytes(*rows, **kwargs))
        return str(path)

    return write


def run_command(*args: str) -> tuple[int, str, str]:
    """`kring import-history ARGS`: the exit status, stdout and stderr as on the command line
    (where Django prints a CommandError on stderr and exits with its return code). Through
    call_command: running it from argv would close the test's database connection."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import-history", *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- the checked example ---------------------------------------------------------------------------


def test_the_checked_example_imports_nothing_and_the_command_names_each_fault_with_its_line(
    teams, csv_file
):
    status, out, err = run_command(csv_file(*CHECKED_EXAMPLE), "--language", "en")

    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[:5] == [
        "Line 2, column participants_present, value “8”: The rows of conference EK-1 do not "
        "agree on this. Its other lines: 3.",
        "Line 3, column participants_present, value “7”: The rows of conference EK-1 do not "
        "agree on this. Its other lines: 2.",
        "Line 4, column held_on, value “2024-1-5”: Write the day as year-month-day with dashes, "
        "such as 2019-03-28.",
        "Line 5, column role, value “victim”: Use harmed, responsible, supporter or other, or "
        "leave it empty.",
        "Line 6, column satisfied, value “7”: Use a whole number from 1 to 5, or leave it empty.",
    ]
    assert "Faults in the file: 5. Nothing was imported." in lines[5]
    assert len(lines) == 6
    # Nothing stored, not even the good conference EK-5, and no import recorded.
    assert not ConferenceRecord.objects.exists()
    assert not Answer.objects.exists()
    assert not HistoryImport.objects.exists()
    assert not AuditEvent.objects.filter(action=importing.IMPORTED).exists()


def test_the_checked_example_in_dutch(teams, csv_file):
    status, _out, err = run_command(csv_file(*CHECKED_EXAMPLE), "--language", "nl")

    assert status == 1
    with translation.override("nl"):
        expected = [
            gettext("Line %(line)s, column %(column)s, value “%(value)s”: %(reason)s")
            % {"line": 4, "column": "held_on", "value": "2024-1-5", "reason": gettext(reason)}
            for reason in ["Write the day as year-month-day with dashes, such as 2019-03-28."]
        ]
        nothing = gettext("Faults in the file: %(count)s. Nothing was imported.") % {"count": 5}
    assert expected[0] in err.splitlines()
    assert nothing in err
    assert "Regel 4" in err, "the Dutch catalogue has the fault's words"
    assert not ConferenceRecord.objects.exists()


# --- a good file, twice ------------------------------------------------------------------------------


def test_a_good_file_is_imported_once_and_the_second_time_adds_nothing(teams, csv_file):
    path = csv_file(*GOOD)

    status, out, err = run_command(path, "--language", "en")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Conferences added: 3.",
        "Answers added: 4.",
        "Conferences skipped because they were imported before: 0.",
    ]
    utrecht, zwolle = teams
    first = ConferenceRecord.objects.get(team=utrecht, import_ref="EK-1")
    assert (first.source, first.held_on, first.participants_present, first.case) == (
        Source.IMPORTED,
        date(2019, 3, 28),
        8,
        None,
    )
    assert sorted(first.answers.values_list("role", "satisfied", "situation_restored")) == [
        ("harmed", 5, 4),
        ("responsible", 4, None),
        ("supporter", 3, None),
    ]
    harmed = first.answers.get(role="harmed")
    assert (harmed.said_well, harmed.good_agreements, harmed.round) == (5, 4, 1)
    assert ConferenceRecord.objects.get(import_ref="EK-2").answers.count() == 0
    assert ConferenceRecord.objects.get(import_ref="EK-3").team == zwolle

    status, out, err = run_command(path, "--language", "en")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Conferences added: 0.",
        "Answers added: 0.",
        "Conferences skipped because they were imported before: 3.",
    ]
    assert ConferenceRecord.objects.count() == 3
    assert Answer.objects.count() == 4

    # Both imports recorded, by the system: counts and the file's hash, never its content.
    imports = list(HistoryImport.objects.order_by("pk"))
    assert [(i.rows, i.conferences_added, i.answers_added) for i in imports] == [
        (5, 3, 4),
        (5, 0, 0),
    ]
    assert imports[0].sha256 == imports[1].sha256
    assert imports[0].imported_by is None
    events = list(AuditEvent.objects.filter(action=importing.IMPORTED).order_by("pk"))
    assert [e.actor_kind for e in events] == ["system", "system"]
    assert events[1].data == {
        "sha256": imports[0].sha256,
        "rows": 5,
        "conferences_added": 0,
        "answers_added": 0,
        "skipped": 3,
        "teams_created": 0,
    }
    for event in events:
        assert "EK-1" not in str(event.data) and "Utrecht" not in str(event.data)
    assert label(importing.IMPORTED), "the access log has words for the import"


def test_a_conference_imported_before_with_other_values_is_a_fault_on_each_of_its_lines(
    teams, mira
):
    importing.run(importing.read(csv_bytes(*GOOD[:2]), by=mira), by=mira)
    changed = csv_bytes(
        "EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4",
        "EK-1,2019-03-28,Team Utrecht,8,responsible,2,,,",
        "EK-9,2019-05-01,Team Utrecht,5,,,,,",
    )
    result = importing.read(changed, by=mira)
    assert [(f.line, f.column, f.value) for f in result.faults] == [
        (2, "conference_ref", "EK-1"),
        (3, "conference_ref", "EK-1"),
    ]
    assert "imported before with other values" in str(result.faults[0].reason)
    assert not result.conferences


def test_a_conference_imported_before_is_checked_also_when_other_rows_have_faults(teams, mira):
    """One upload names every fault: the conference imported before with other values is a
    fault next to a bad row elsewhere, not only on the next upload once that row is fixed."""
    importing.run(importing.read(csv_bytes(*GOOD[:2]), by=mira), by=mira)
    changed = csv_bytes(
        "EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4",
        "EK-1,2019-03-28,Team Utrecht,8,responsible,2,,,",
        "EK-9,2019-13-01,Team Utrecht,5,,,,,",
        "EK-2,2019-04-02,Team Utrecht,6,,,,,",
    )
    result = importing.read(changed, by=mira)

    assert [(f.line, f.column, f.value) for f in result.faults] == [
        (2, "conference_ref", "EK-1"),
        (3, "conference_ref", "EK-1"),
        (4, "held_on", "2019-13-01"),
    ]
    assert not result.conferences
    # The same conference with the same values next to a bad row is no fault.
    same = csv_bytes(*GOOD[:2], "EK-9,2019-13-01,Team Utrecht,5,,,,,")
    assert [(f.line, f.column) for f in importing.read(same, by=mira).faults] == [(4, "held_on")]


def test_a_conference_with_a_line_that_could_not_be_read_is_not_compared(teams, mira):
    """A line with too few cells may be one of a conference's answers: its other rows are not
    called different from what was imported before (that would be a false fault)."""
    importing.run(importing.read(csv_bytes(*GOOD[:2]), by=mira), by=mira)
    rows = ["EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4", "EK-1,2019-03-28,Team Utrecht,8"]
    result = importing.read(csv_bytes(*rows), by=mira)
    assert [(f.line, f.column) for f in result.faults] == [(3, "")]


def test_unknown_teams_are_faults_unless_the_command_may_make_them(teams, csv_file):
    path = csv_file("EK-1,2019-03-28,Team Deventer,8,harmed,5,4,5,4")

    status, _out, err = run_command(path, "--language", "en")
    assert status == 1
    assert "Line 2, column team, value “Team Deventer”: There is no team with this name." in err
    assert not Team.objects.filter(name="Team Deventer").exists()

    status, out, _err = run_command(path, "--create-teams", "--language", "en")
    assert status == 0
    assert "Teams made: Team Deventer." in out
    assert ConferenceRecord.objects.get(import_ref="EK-1").team.name == "Team Deventer"


def test_the_command_says_when_it_cannot_read_the_file(tmp_path):
    status, _out, err = run_command(str(tmp_path / "missing.csv"), "--language", "en")
    assert status == 1
    assert "Cannot read" in err and "missing.csv" in err


def test_the_command_speaks_the_projects_language_unless_told(teams, csv_file):
    path = csv_file("EK-1,2019-3-28,Team Utrecht,8,,,,,")

    status, _out, err = run_command(path)
    assert status == 1
    assert "Regel 2, kolom held_on" in err, err
    assert "Nothing was imported" not in err

    _status, _out, err = run_command(path, "--language", "en")
    assert "Line 2, column held_on" in err


def test_the_command_checks_the_size_before_it_reads_the_file(teams, tmp_path):
    """A file far larger than the limit (sparse: it costs no disk) is refused having read no
    more than the limit and one byte: reading it whole would hold four times the limit."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(csv_bytes(*GOOD))
        handle.truncate(4 * importing.MAX_FILE_BYTES)
    tracemalloc.start()
    try:
        status, _out, err = run_command(str(path), "--language", "en")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert status == 1
    assert "The file is larger than 64 MB: split it into smaller files." in err
    assert peak < 2 * importing.MAX_FILE_BYTES, peak
    assert not ConferenceRecord.objects.exists()


def test_call_command_raises_with_the_count(teams, csv_file):
    with pytest.raises(CommandError, match="Faults in the file: 5"):
        call_command("import-history", csv_file(*CHECKED_EXAMPLE), language="en")


# --- who imports what --------------------------------------------------------------------------------


def test_a_manager_imports_only_rows_of_their_own_team(teams, mira):
    result = importing.read(csv_bytes(*GOOD), by=mira)

    assert reasons(result) == [
        (6, "team", "Team Zwolle", "You may not import for this team."),
    ]
    # Without the other team's row, Mira's file goes in.
    result = importing.read(csv_bytes(*GOOD[:4]), by=mira)
    assert result.ok
    done = importing.run(result, by=mira)
    assert (done.conferences_added, done.answers_added, done.imported_by) == (2, 3, mira)
    event = AuditEvent.objects.get(action=importing.IMPORTED)
    assert (event.actor, event.actor_kind, event.team_id) == (mira, "staff", mira.team_id)


def test_the_manager_of_the_other_team_may_not_import_for_utrecht(teams, vera):
    result = importing.read(csv_bytes(GOOD[0]), by=vera)
    assert reasons(result) == [
        (2, "team", "Team Utrecht", "You may not import for this team."),
    ]


def test_a_manager_may_not_have_teams_made(teams, mira):
    with pytest.raises(NotAllowed):
        importing.read(
            csv_bytes("EK-1,2019-03-28,Team Deventer,8,,,,,"), by=mira, create_teams=True
        )


def test_an_administrator_imports_for_every_team_and_may_have_teams_made(teams, admin_user):
    rows = [*GOOD, "EK-1,2019-03-28,team deventer,8,,,,,"]
    result = importing.read(csv_bytes(*rows), by=admin_user, create_teams=True)
    assert result.ok, reasons(result)
    assert result.new_teams == ["team deventer"]
    done = importing.run(result, by=admin_user)
    assert (done.conferences_added, done.answers_added) == (4, 4)
    assert Team.objects.filter(name="team deventer").exists()
    assert AuditEvent.objects.get(action=importing.IMPORTED).data["teams_created"] == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICE, Role.RESEARCHER])
def test_nobody_else_imports(teams, role):
    user = UserFactory(username=f"someone_{role}", role=role, team=teams[0])
    with pytest.raises(NotAllowed):
        importing.read(csv_bytes(*GOOD[:4]), by=user)


def test_run_asks_the_policy_again_a_manager_deactivated_after_the_check_imports_nothing(
    teams, mira
):
    result = importing.read(csv_bytes(*GOOD[:4]), by=mira)
    assert result.ok
    User.objects.filter(pk=mira.pk).update(is_active=False)
    mira.refresh_from_db()
    with pytest.raises(NotAllowed):
        importing.run(result, by=mira)
    assert not ConferenceRecord.objects.exists()
    assert not HistoryImport.objects.exists()


def test_run_refuses_a_file_with_faults(teams, admin_user):
    result = importing.read(csv_bytes(*CHECKED_EXAMPLE), by=admin_user)
    with pytest.raises(ValueError, match="imports nothing"):
        importing.run(result, by=admin_user)


# --- every cell's faults -----------------------------------------------------------------------------

LONG = "x" * 201


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (",2019-03-28,Team Utrecht,8,,,,,", "conference_ref", "Fill in the conference's reference."),
        ("R" * 101 + ",2019-03-28,Team Utrecht,8,,,,,", "conference_ref", "at most 100 characters"),
        ("EK-1,,Team Utrecht,8,,,,,", "held_on", "Fill in the day of the conference."),
        ("EK-1,2024-1-5,Team Utrecht,8,,,,,", "held_on", "year-month-day with dashes"),
        ("EK-1,28-03-2019,Team Utrecht,8,,,,,", "held_on", "year-month-day with dashes"),
        ("EK-1,2023-02-29,Team Utrecht,8,,,,,", "held_on", "This day does not exist."),
        ("EK-1,1989-12-31,Team Utrecht,8,,,,,", "held_on", "before 1990-01-01"),
        ("EK-1,2019-03-28,,8,,,,,", "team", "Fill in the team."),
        ("EK-1,2019-03-28,Team Utrecht,,,,,,", "participants_present", "Fill in how many"),
        ("EK-1,2019-03-28,Team Utrecht,8.5,,,,,", "participants_present", "a whole number"),
        ("EK-1,2019-03-28,Team Utrecht,-3,,,,,", "participants_present", "a whole number"),
        ("EK-1,2019-03-28,Team Utrecht,1,,,,,", "participants_present", "At least 2"),
        ("EK-1,2019-03-28,Team Utrecht,1000,,,,,", "participants_present", "At most 999"),
        ("EK-1,2019-03-28,Team Utrecht,8,victim,,,,", "role", "Use harmed, responsible"),
        ("EK-1,2019-03-28,Team Utrecht,8,harmed,0,,,", "satisfied", "from 1 to 5"),
        ("EK-1,2019-03-28,Team Utrecht,8,harmed,,6,,", "situation_restored", "from 1 to 5"),
        ("EK-1,2019-03-28,Team Utrecht,8,harmed,,,four,", "said_well", "from 1 to 5"),
        ("EK-1,2019-03-28,Team Utrecht,8,harmed,,,,4.0", "good_agreements", "from 1 to 5"),
        ("EK-1,2019-03-28,Team Utrecht,8,responsible,4,4,,", "situation_restored", "Only the person harmed"),
        ("EK-1,2019-03-28,Team Utrecht,8,supporter,4,,5,", "said_well", "Only the person harmed"),
        ("EK-1,2019-03-28,Team Utrecht,8,other,,,,3", "good_agreements", "Only the person harmed"),
        ("EK-1,2019-03-28,Team Utrecht,8,,4,,,", "satisfied", "A row without a role"),
        (f"EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,{LONG}", "good_agreements", "Longer than 200"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_a_fault_with_its_reason(teams, admin_user, row, column, reason):
    good = "EK-0,2019-03-28,Team Utrecht,8,harmed,5,4,5,4"
    result = importing.read(csv_bytes(good, row), by=admin_user)

    assert [(f.line, f.column) for f in result.faults] == [(3, column)]
    assert reason in str(result.faults[0].reason)
    assert not result.conferences


def test_a_day_in_the_future_is_a_fault(teams, admin_user):
    # Tomorrow as the test runs (not as it was collected: a run past midnight would make it
    # today).
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    good = "EK-0,2019-03-28,Team Utrecht,8,harmed,5,4,5,4"
    result = importing.read(csv_bytes(good, f"EK-1,{tomorrow},Team Utrecht,8,,,,,"), by=admin_user)

    assert reasons(result) == [(3, "held_on", tomorrow, "This day is in the future.")]


def test_the_questions_the_scale_and_the_first_day_are_the_questionnaires_and_the_figures(
    teams, admin_user
):
    """Defined once: the import checks the questionnaire's questions, its scale and the
    figures' first day, not copies of its own."""
    assert importing.SCALE_FIELDS is questionnaire.SCALE_FIELDS
    assert importing.HARMED_ONLY is questionnaire.HARMED_ONLY
    assert importing.SCALE is questionnaire.SCALE
    assert importing.FIRST_DAY is figures.FIRST_DAY
    before = (figures.FIRST_DAY - timedelta(days=1)).isoformat()
    high = questionnaire.SCALE[-1] + 1
    rows = [
        f"EK-1,{figures.FIRST_DAY.isoformat()},Team Utrecht,8,harmed,{high},,,",
        f"EK-2,{before},Team Utrecht,8,,,,,",
    ]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert reasons(result) == [
        (2, "satisfied", str(high), "Use a whole number from 1 to 5, or leave it empty."),
        (
            3,
            "held_on",
            before,
            f"This day is before {figures.FIRST_DAY.isoformat()}: is it a typing mistake?",
        ),
    ]


def test_a_long_value_is_shortened_in_the_fault(teams, admin_user):
    result = importing.read(csv_bytes(f"{LONG},2019-03-28,Team Utrecht,8,,,,,"), by=admin_user)
    (fault,) = result.faults
    assert fault.value == "x" * 49 + "…"
    assert str(fault.reason) == "Longer than 200 characters."


def test_the_first_and_last_day_allowed(teams, admin_user):
    today = timezone.localdate().isoformat()
    rows = ["EK-1,1990-01-01,Team Utrecht,2,,,,,", f"EK-2,{today},Team Utrecht,999,,,,,"]
    assert importing.read(csv_bytes(*rows), by=admin_user).ok


def test_every_bad_row_is_reported_not_just_the_first(teams, admin_user):
    rows = [f"EK-{n},2019-13-01,Team Utrecht,8,,,,," for n in range(1, 31)]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert [f.line for f in result.faults] == list(range(2, 32))


def test_a_day_that_differs_between_rows_names_each_line(teams, admin_user):
    rows = [
        "EK-1,2019-03-28,Team Utrecht,8,harmed,5,,,",
        "EK-2,2019-04-01,Team Utrecht,5,,,,,",
        "EK-1,2019-03-29,Team Utrecht,8,responsible,4,,,",
        "EK-1,2019-03-28,Team Utrecht,8,supporter,4,,,",
    ]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert [(f.line, f.column, str(f.reason)) for f in result.faults] == [
        (2, "held_on", "The rows of conference EK-1 do not agree on this. Its other lines: 4, 5."),
        (4, "held_on", "The rows of conference EK-1 do not agree on this. Its other lines: 2, 5."),
        (5, "held_on", "The rows of conference EK-1 do not agree on this. Its other lines: 2, 4."),
    ]


def test_the_same_reference_in_two_teams_is_two_conferences(teams, admin_user):
    rows = ["EK-1,2019-03-28,Team Utrecht,8,,,,,", "EK-1,2020-01-01,Team Zwolle,5,,,,,"]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert result.ok
    assert len(result.conferences) == 2


def test_a_row_without_a_role_is_only_for_a_conference_without_answers(teams, admin_user):
    rows = ["EK-1,2019-03-28,Team Utrecht,8,harmed,5,,,", "EK-1,2019-03-28,Team Utrecht,8,,,,,"]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert [(f.line, f.column) for f in result.faults] == [(3, "role")]
    assert "Its other lines" not in str(result.faults[0].reason)
    assert "has more lines: 2" in str(result.faults[0].reason)


def test_a_line_with_too_few_cells(teams, admin_user):
    result = importing.read(csv_bytes("EK-1,2019-03-28,Team Utrecht,8"), by=admin_user)
    assert reasons(result) == [(2, "", "", "Cells on this line: 4; the header has 9.")]


# --- the file as a whole -----------------------------------------------------------------------------


def test_the_header_may_be_in_any_order_with_spaces_capitals_and_a_byte_order_mark(
    teams, admin_user
):
    header = (
        " Team ,held_on,CONFERENCE_REF,participants_present,role,"
        "good_agreements,said_well,situation_restored,satisfied"
    )
    data = "\ufeff".encode() + csv_bytes(
        "Team Utrecht,2019-03-28,EK-1,8,Harmed,1,2,3,4", header=header
    )
    result = importing.read(data, by=admin_user)
    assert result.ok, reasons(result)
    (answer,) = result.conferences[0].answers
    assert (answer.role, answer.satisfied, answer.situation_restored, answer.good_agreements) == (
        "harmed",
        4,
        3,
        1,
    )


def test_a_file_with_semicolons_from_a_dutch_spreadsheet_is_read(teams, admin_user):
    data = csv_bytes(
        "EK-1;2019-03-28;Team Utrecht;8;harmed;5;4;5;4", header=HEADER.replace(",", ";")
    )
    assert importing.read(data, by=admin_user).ok


def test_empty_lines_are_skipped_and_windows_line_ends_read(teams, admin_user):
    data = (HEADER + "\r\n\r\nEK-1,2019-03-28,Team Utrecht,8,,,,,\r\n\r\n").encode()
    result = importing.read(data, by=admin_user)
    assert result.ok and result.rows == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            HEADER.replace(",said_well", ""),
            [(1, "said_well", "", "This column is missing from the header.")],
        ),
        (
            HEADER + ",remarks",
            [(1, "", "remarks", "Kring does not know this column. The columns are: "
              "conference_ref, held_on, team, participants_present, role, satisfied, "
              "situation_restored, said_well, good_agreements.")],
        ),
        (
            HEADER + ",team",
            [(1, "team", "team", "This column is in the header more than once.")],
        ),
        (
            HEADER + ",",
            [(1, "", "", "Column 10 of the header has no name.")],
        ),
    ],
    ids=["missing", "extra", "twice", "no_name"],
)  # fmt: skip
def test_a_header_with_a_column_missing_extra_or_twice(teams, admin_user, header, expected):
    result = importing.read(
        csv_bytes("EK-1,2019-03-28,Team Utrecht,8,,,,,", header=header), by=admin_user
    )
    assert reasons(result) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet file, not a CSV file."),
        (b"%PDF-1.7\n\x00\x01", "This file is not a CSV file: it is not plain text."),
    ],
    ids=["empty", "only_a_bom_and_spaces", "xlsx", "binary"],
)
def test_a_file_that_is_no_csv_text(teams, admin_user, data, expected):
    result = importing.read(data, by=admin_user)
    (fault,) = result.faults
    assert fault.line is None
    assert str(fault.reason).startswith(expected)


def test_a_file_that_is_not_utf8_names_the_line(teams, admin_user):
    data = csv_bytes("EK-1,2019-03-28,Team Utrecht,8,,,,,", "EK-2,2019-03-28,Team Zürich,8,,,,,")
    result = importing.read(data.decode().encode("latin-1"), by=admin_user)
    (fault,) = result.faults
    assert fault.line is None
    assert str(fault.reason).startswith("The file is not UTF-8 text (see line 3).")


def test_an_unclosed_quotation_mark(teams, admin_user):
    data = csv_bytes('"EK-1,2019-03-28,Team Utrecht,8,,,,,')
    (fault,) = importing.read(data, by=admin_user).faults
    assert fault.line == 2
    assert "not valid CSV" in str(fault.reason)


def test_more_than_the_most_rows_is_a_fault(teams, admin_user):
    rows = [f"EK-{n},2019-03-28,Team Utrecht,8,,,,," for n in range(importing.MAX_ROWS + 1)]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert reasons(result) == [
        (
            importing.MAX_ROWS + 2,
            "",
            "",
            "The file has more than 100000 rows: split it into smaller files.",
        )
    ]
    assert result.rows == importing.MAX_ROWS


def test_a_conference_imported_meanwhile_makes_the_later_run_import_nothing(teams, admin_user):
    """Two uploads of the same rows checked at once: the first to run imports them, the second
    is refused by the unique reference and writes nothing (no half import, no second record)."""
    first = importing.read(csv_bytes(*GOOD), by=admin_user)
    second = importing.read(csv_bytes(*GOOD[:4]), by=admin_user)
    importing.run(first, by=admin_user)

    with pytest.raises(Refused, match="imported meanwhile"):
        importing.run(second, by=admin_user)
    assert ConferenceRecord.objects.count() == 3
    assert HistoryImport.objects.count() == 1


def test_rows_of_an_unknown_team_are_still_compared_with_each_other(teams, admin_user):
    rows = [
        "EK-1,2019-03-28,Team Deventer,8,harmed,5,,,",
        "EK-1,2019-03-28,Team Deventer,7,responsible,4,,,",
    ]
    result = importing.read(csv_bytes(*rows), by=admin_user)
    assert [(f.line, f.column) for f in result.faults] == [
        (2, "team"),
        (2, "participants_present"),
        (3, "team"),
        (3, "participants_present"),
    ]
