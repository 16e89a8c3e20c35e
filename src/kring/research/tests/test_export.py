"""The exports of the figures page (issue 13, point 2): CSV (UTF-8 with a byte order mark) and
Excel hold what the page shows with the same filters, under a name with the period only, as an
attachment that is never cached; the read is logged; the same people as the page may download,
nobody else; a bad filter gets the form's message, not a file."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kring.audit.models import AuditEvent
from kring.research.tests.figures_data import PERIOD, utrecht, zwolle
from kring.signing.tests.pages import text
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

HOME = reverse("research:home")


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _same(cell):
    """A cell as a number where it is one (Excel keeps 8.0 as 8), else as text."""
    if cell is None or cell == "":
        return ""
    try:
        return float(cell)
    except (TypeError, ValueError):
        return str(cell)


def _by_key(rows) -> dict[str, list]:
    return {row[1]: row for row in rows[1:]}


@pytest.fixture
def known(team, other_team):
    return utrecht(team), zwolle(other_team)


def test_the_csv_holds_the_numbers_on_the_screen(client, ruud, known, team):
    force_verified_login(client, ruud)
    query = {**PERIOD, "team": team.pk}
    page = text(client.get(HOME, query))
    link = reverse("research:export", args=["csv"])
    assert f'href="{link}?from=2026-01-01&amp;to=2026-06-30&amp;team={team.pk}"' in page
    response = client.get(link, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kring-cijfers-2026-01-01-2026-06-30.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = _by_key(_csv(response))
    assert rows["conferences"][3] == "6"
    assert rows["participants_mean"][3] == "9.0" and "9.0" in page
    assert rows["responsible_satisfied_pct"][3] == "83.3" and "83.3%" in page
    assert rows["responsible_satisfied_pct"][4] == "6"
    assert rows["harmed_restored_pct"][3] == "83.3"
    # The labels are the page's.
    assert rows["responsible_satisfied_pct"][2] in page
    event = AuditEvent.objects.get(action="research.figures_exported")
    assert event.data == {
        "from": "2026-01-01",
        "to": "2026-06-30",
        "team": team.pk,
        "format": "csv",
    }


def test_a_suppressed_figure_is_empty_with_its_reason_in_the_csv(client, ruud, known, other_team):
    force_verified_login(client, ruud)
    query = {**PERIOD, "team": other_team.pk}
    page = text(client.get(HOME, query))
    rows = _by_key(_csv(client.get(reverse("research:export", args=["csv"]), query)))
    share = rows["responsible_satisfied_pct"]
    assert share[3] == "" and share[4] == ""
    assert share[5] == "fewer than 5 conferences" and share[5] in page


def test_the_excel_file_holds_the_same_as_the_csv(client, ruud, known):
    force_verified_login(client, ruud)
    rows_csv = _csv(client.get(reverse("research:export", args=["csv"]), PERIOD))
    response = client.get(reverse("research:export", args=["xlsx"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kring-cijfers-2026-01-01-2026-06-30.xlsx"'
    )
    rows_xlsx = _xlsx(response)
    assert len(rows_xlsx) == len(rows_csv)
    assert [[_same(cell) for cell in row] for row in rows_xlsx] == [
        [_same(cell) for cell in row] for row in rows_csv
    ]
    by_key = _by_key(rows_xlsx)
    assert by_key["participants_mean"][3] == pytest.approx(6.6)
    # Per team, as on the screen for all teams.
    # Zwolle's 4 answers hidden: Utrecht's 6 would give them away from the total of 10.
    assert by_key["Team Utrecht.responsible_satisfied_pct"][3] is None
    assert by_key["Team Utrecht.responsible_satisfied_pct"][5] == (
        "hidden so that a small team cannot be worked out"
    )
    assert by_key["Team Zwolle.responsible_satisfied_pct"][3] is None


def test_a_manager_exports_only_her_own_team(client, mira, known, other_team):
    force_verified_login(client, mira)
    response = client.get(
        reverse("research:export", args=["csv"]), {**PERIOD, "team": other_team.pk}
    )
    rows = _by_key(_csv(response))
    assert rows["conferences"][3] == "6"
    body = response.content.decode()
    assert "Zwolle" not in body and "3.0" not in body


@pytest.mark.parametrize("who", ["carla", "bram", "admin_user"])
def test_no_one_else_downloads(client, request, known, who):
    force_verified_login(client, request.getfixturevalue(who))
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("research:export", args=[fmt]), PERIOD).status_code == 403
    assert not AuditEvent.objects.filter(action="research.figures_exported").exists()


def test_another_format_is_not_found(client, ruud, known):
    force_verified_login(client, ruud)
    assert client.get(reverse("research:export", args=["pdf"]), PERIOD).status_code == 404


def test_a_bad_filter_gets_the_message_not_a_file(client, ruud, known):
    force_verified_login(client, ruud)
    response = client.get(
        reverse("research:export", args=["csv"]), {"from": "0001-01-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Enter a date between 1990 and 2100" in response.content.decode()
    assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(action="research.figures_exported").exists()


def test_a_team_named_as_a_formula_is_text_in_both_files(client, ruud, known, team):
    """A team named `=HYPERLINK(...)` would be a live link in a spreadsheet: in the CSV and in
    the Excel file its cells start with a quote, so they stay text."""
    team.name = '=HYPERLINK("http://x","y")'
    team.save(update_fields=["name"])
    force_verified_login(client, ruud)
    rows_csv = _csv(client.get(reverse("research:export", args=["csv"]), PERIOD))
    rows_xlsx = _xlsx(client.get(reverse("research:export", args=["xlsx"]), PERIOD))
    for rows in (rows_csv, rows_xlsx):
        cells = [cell for row in rows for cell in row if isinstance(cell, str)]
        assert '\'=HYPERLINK("http://x","y").conferences' in cells
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
