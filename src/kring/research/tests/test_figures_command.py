"""`kring figures` (issue 13 point 4): the figures of a period as one JSON object or as a CSV
table, the same numbers as the page; bad input is an error and prints nothing."""

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from kring.research.models import AnswerRole
from kring.research.tests.test_figures import answer, imported, times


def figures(*args, language="en"):
    """The command's output; in English unless `language` (None: the default, Dutch)."""
    if language is not None and "--language" not in args:
        args = (*args, "--language", language)
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_teams(team, other_team):
    """Team Utrecht with six conferences (eight present at each), Team Zwolle with four (nine
    present); each with ten persons responsible who answered 5 and ten persons harmed who say
    the situation is restored (4)."""
    for each, presents, ref in ((team, [8] * 6, "u"), (other_team, [9] * 4, "z")):
        records = imported(each, presents, ref=ref)
        answer(records, AnswerRole.RESPONSIBLE, times(10, satisfied=5))
        answer(records, AnswerRole.HARMED, times(10, satisfied=3, situation_restored=4))


def test_json_of_every_team(two_teams):
    data = json.loads(figures("--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"))

    assert data["from"] == "2026-01-01"
    assert data["to"] == "2026-12-31"
    assert data["team"] is None
    assert data["conferences"] == 10
    assert data["participants_mean"] == 8.4
    assert data["participants_median"] == 8.0
    assert data["responsible_satisfied_pct"] == 100.0
    assert data["harmed_satisfied_pct"] == 0.0
    assert data["harmed_restored_pct"] == 100.0
    assert data["harmed_said_well_pct"] is None
    assert data["harmed_good_agreements_pct"] is None
    assert data["answers"] == {"harmed": 20, "responsible": 20, "supporter": 0, "other": 0}
    assert data["suppressed"]["harmed_said_well_pct"] == "no answers yet"
    assert [row["team"] for row in data["teams"]] == ["Team Utrecht", "Team Zwolle"]


def test_json_of_a_team_with_four_conferences_is_null_with_the_reasons(two_teams):
    data = json.loads(
        figures("--from", "2026-01-01", "--to", "2026-12-31", "--team", "Team Zwolle")
    )

    assert data["team"] == "Team Zwolle"
    for key in (
        "conferences",
        "participants_mean",
        "participants_median",
        "responsible_satisfied_pct",
        "harmed_satisfied_pct",
        "harmed_restored_pct",
        "harmed_said_well_pct",
        "harmed_good_agreements_pct",
    ):
        assert data[key] is None, key
        assert data["suppressed"][key] == "fewer than 5 conferences"
    assert set(data["answers"].values()) == {None}
    assert data["teams"] == []  # one team: no table per team


def test_csv_is_the_same_as_a_table(two_teams):
    output = figures(
        "--from", "2026-01-01", "--to", "2026-12-31", "--team", "Team Utrecht", "--format", "csv"
    )

    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == ["section", "key", "label", "value", "base", "reason"]
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert by_key[("conferences", "conferences")] == [
        "conferences",
        "conferences",
        "Conferences held",
        "6",
        "6",
        "",
    ]
    assert by_key[("conferences", "participants_mean")][3] == "8.0"
    assert by_key[("shares", "harmed_restored_pct")][3:] == ["100.0", "10", ""]
    assert by_key[("shares", "harmed_said_well_pct")][3:] == ["", "", "no answers yet"]
    assert by_key[("answers", "responsible")][3] == "10"
    assert not any(row[0] == "teams" for row in rows)


def test_labels_and_reasons_in_dutch_on_request(two_teams):
    output = figures(
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--team",
        "Team Zwolle",
        "--format",
        "csv",
        "--language",
        "nl",
    )

    rows = {row[1]: row for row in csv.reader(io.StringIO(output))}
    assert rows["conferences"][2] == "Gehouden conferenties"
    assert rows["conferences"][5] == "minder dan 5 conferenties"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-02-30", "--to", "2026-03-31"), "--from '2026-02-30' is not a date"),
        (("--from", "2026-01-01", "--to", "31-12-2026"), "--to '31-12-2026' is not a date"),
        (("--from", "2026-04-01", "--to", "2026-03-31"), "--from 2026-04-01 is after --to"),
        (
            ("--from", "2026-01-01", "--to", "2026-12-31", "--team", "Team Nergens"),
            "There is no team 'Team Nergens'",
        ),
    ],
)
def test_bad_input_is_an_error_and_prints_nothing(two_teams, args, message):
    out = io.StringIO()

    with pytest.raises(CommandError, match=message):
        call_command("figures", *args, stdout=out)

    assert out.getvalue() == ""


def test_a_bad_date_exits_non_zero_on_the_command_line():
    """Through `kring` itself, as an operator runs it: the message on stderr, nothing on
    stdout, exit code 1 (before any query: no database needed)."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kring", "figures", "--from", "2026-13-01", "--to", "2026-12-31"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kring.settings_test"},
        check=False,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert "--from '2026-13-01' is not a date: write it as YYYY-MM-DD." in result.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--from", "2026-01-01", "--to", "9999-12-31"), "--to 9999-12-31"),
        (("--from", "0001-01-01", "--to", "2026-12-31"), "--from 0001-01-01"),
    ],
)
def test_extreme_dates_are_an_error_naming_the_bounds(two_teams, args, option):
    out = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("figures", *args, stdout=out)

    assert str(refused.value) == (
        f"{option} lies outside the days Kring counts: from 1990-01-01 to 2100-12-31."
    )
    assert out.getvalue() == ""


def test_extreme_dates_exit_non_zero_on_the_command_line():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kring", "figures", "--from", "2026-01-01", "--to", "9999-12-31"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kring.settings_test"},
        check=False,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert "from 1990-01-01 to 2100-12-31" in result.stderr
    assert "OverflowError" not in result.stderr


def test_the_period_is_whole_months_and_the_json_says_which(two_teams):
    data = json.loads(figures("--from", "2026-05-12", "--to", "2026-05-12"))
    whole = json.loads(figures("--from", "2026-05-01", "--to", "2026-05-31"))

    assert (data["from"], data["to"]) == ("2026-05-01", "2026-05-31")
    assert data == whole
    assert data["conferences"] == 10


def test_dutch_by_default_and_the_team_whatever_its_capitals(two_teams):
    output = figures(
        "--from", "2026-01-01", "--to", "2026-12-31", "--team", "team zwolle", language=None
    )

    data = json.loads(output)
    assert data["team"] == "Team Zwolle"
    assert data["suppressed"]["conferences"] == "minder dan 5 conferenties"


def test_a_team_named_as_a_formula_is_text_in_the_csv(two_teams, team):
    team.name = '=HYPERLINK("http://x","y")'
    team.save(update_fields=["name"])

    output = figures("--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv")

    cells = [cell for row in csv.reader(io.StringIO(output)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_rebuild_makes_the_summary_from_the_rows_and_then_prints_the_figures(two_teams):
    """`--rebuild` (issue 15): the rows written around the actions are in the summary after it,
    and the figures printed with it are those from the rows."""
    from kring.research import summary
    from kring.research.figures import Selection, as_json, compute_raw
    from kring.research.models import Bucket, Stale

    assert Stale.objects.filter(case_id=None, month=None).exists()  # written around Kring
    err = io.StringIO()
    call_command("figures", "--rebuild", stderr=err)
    assert "made again from the rows" in err.getvalue()
    assert not Stale.objects.exists()
    assert Bucket.objects.exists()
    assert summary.refresh() == 0

    data = json.loads(figures("--rebuild", "--from", "2026-01-01", "--to", "2026-12-31"))
    rows = as_json(compute_raw(Selection(date(2026, 1, 1), date(2026, 12, 31))))
    assert data == json.loads(json.dumps(rows, ensure_ascii=False))
    with pytest.raises(CommandError, match="Give both --from and --to"):
        figures("--from", "2026-01-01")
