"""The upload page of the historical import (issue 13, point 3), `onderzoek/importeren/`, as
Mira (manager of Team Utrecht) and the administrator use it: the checked example of the issue
imports nothing and lists every fault with its line under an error summary, in English and in
Dutch; a good file comes back with the counts, and a second time adds nothing and says so; a
file too large, empty, or no CSV gets a clear message at the field; a manager imports only
their own team's rows and never has teams made; nobody else reaches the page. The page is
never cached."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kring.accounts.models import Role, Team
from kring.audit.models import AuditEvent
from kring.research import importing
from kring.research.import_forms import MAX_BYTES, TOO_BIG
from kring.research.models import Answer, ConferenceRecord, HistoryImport
from kring.research.tests.test_import import CHECKED_EXAMPLE, GOOD, csv_bytes
from kring.signing.tests.pages import dutch, text
from kring.testing.auth import force_verified_login
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("research:import")


def upload(client, data: bytes, name: str = "history.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(URL, {"file": SimpleUploadedFile(name, data, "text/csv"), **fields})


def fault_rows(page: str) -> list[list[str]]:
    """The fault table's rows, each as its cells' text."""
    body = page.split('id="faults-title"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in body.split("</tr>")[:-1]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


@pytest.fixture
def teams(team, other_team):
    return team, other_team


def test_mira_opens_the_page_for_her_team_and_it_is_never_cached(client, teams, mira):
    force_verified_login(client, mira)
    response = client.get(URL)
    page = text(response)
    assert "<h1>Import earlier conferences</h1>" in page
    assert "You import for Team Utrecht. A row of another team is a fault." in page
    assert 'type="file" name="file"' in page
    assert 'name="create_teams"' not in page, "a manager never has teams made"
    assert "no-store" in response["Cache-Control"]


def test_the_administrator_may_have_unknown_teams_made(client, teams, admin_user):
    force_verified_login(client, admin_user)
    page = text(client.get(URL))
    assert 'name="create_teams"' in page
    assert "You import for" not in page

    response = upload(
        client, csv_bytes("EK-1,2019-03-28,Team Deventer,8,harmed,5,4,5,4"), create_teams="on"
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Conferences added: 1. Answers added: 1." in page
    assert "Teams made: Team Deventer." in page
    assert Team.objects.filter(name="Team Deventer").exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICE, Role.RESEARCHER])
def test_nobody_else_reaches_the_page_or_imports(client, teams, role):
    user = UserFactory(username=f"u_{role}", role=role, team=teams[0])
    force_verified_login(client, user)
    assert client.get(URL).status_code == 403
    assert upload(client, csv_bytes(*GOOD[:4])).status_code == 403
    assert not ConferenceRecord.objects.exists()


def test_a_visitor_is_sent_to_log_in(client, teams):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert upload(client, csv_bytes(*GOOD[:4])).status_code == 302
    assert not ConferenceRecord.objects.exists()


def test_the_checked_example_imports_nothing_and_the_page_names_each_fault_with_its_line(
    client, teams, mira
):
    force_verified_login(client, mira)
    response = upload(client, csv_bytes(*CHECKED_EXAMPLE))

    page = text(response)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There is a problem" in summary
    assert '<a href="#faults-title">Faults in the file: 5. Nothing was imported.</a>' in summary
    assert page.index("error-summary") < page.index("<h1>")
    assert "<title>Error:" in page
    assert fault_rows(page) == [
        [
            "2",
            "participants_present",
            "8",
            "The rows of conference EK-1 do not agree on this. Its other lines: 3.",
        ],
        [
            "3",
            "participants_present",
            "7",
            "The rows of conference EK-1 do not agree on this. Its other lines: 2.",
        ],
        [
            "4",
            "held_on",
            "2024-1-5",
            "Write the day as year-month-day with dashes, such as 2019-03-28.",
        ],
        [
            "5",
            "role",
            "victim",
            "Use harmed, responsible, supporter or other, or leave it empty.",
        ],
        ["6", "satisfied", "7", "Use a whole number from 1 to 5, or leave it empty."],
    ]
    assert not ConferenceRecord.objects.exists()
    assert not HistoryImport.objects.exists()


def test_the_checked_example_in_dutch(client, teams, mira):
    response = upload(dutch(client, mira), csv_bytes(*CHECKED_EXAMPLE))

    page = text(response)
    with translation.override("nl"):
        summary = gettext("Faults in the file: %(count)s. Nothing was imported.") % {"count": 5}
        bad_day = gettext("Write the day as year-month-day with dashes, such as 2019-03-28.")
    assert summary in page
    assert summary.startswith("Fouten in het bestand")
    assert ["4", "held_on", "2024-1-5", bad_day] in fault_rows(page)
    assert not ConferenceRecord.objects.exists()


def test_a_good_file_is_imported_and_the_second_time_nothing_changes(client, teams, mira):
    force_verified_login(client, mira)
    data = csv_bytes(*GOOD[:4])

    response = upload(client, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    page = text(client.get(URL))
    assert (
        "Conferences added: 2. Answers added: 3. "
        "Conferences skipped because they were imported before: 0."
    ) in page
    assert ConferenceRecord.objects.count() == 2

    page = text(client.get(upload(client, data)["Location"]))
    assert (
        "Conferences added: 0. Answers added: 0. "
        "Conferences skipped because they were imported before: 2."
    ) in page
    assert ConferenceRecord.objects.count() == 2
    assert Answer.objects.count() == 3
    events = AuditEvent.objects.filter(action=importing.IMPORTED, actor=mira)
    assert [e.data["conferences_added"] for e in events.order_by("pk")] == [2, 0]
    assert all(e.team_id == mira.team_id for e in events)


def test_a_row_of_another_team_is_a_fault_for_a_manager_even_when_she_asks_for_new_teams(
    client, teams, mira
):
    force_verified_login(client, mira)
    page = text(
        upload(
            client,
            csv_bytes(*GOOD[:4], "EK-7,2019-03-28,Team Zwolle,8,,,,,", "EK-8,2019-03-28,X,5,,,,,"),
            create_teams="on",
        )
    )
    assert fault_rows(page) == [
        ["6", "team", "Team Zwolle", "You may not import for this team."],
        ["7", "team", "X", "There is no team with this name."],
    ]
    assert not ConferenceRecord.objects.exists()
    assert not Team.objects.filter(name="X").exists()


def test_a_file_larger_than_5_mb_is_refused_before_it_is_read(client, teams, mira):
    force_verified_login(client, mira)
    response = upload(client, b"x" * (MAX_BYTES + 100 * 1024))
    assert response.status_code == 413
    page = " ".join(response.content.decode().split())
    assert str(TOO_BIG) in page
    assert '<a href="#id_file">' in page, "the error summary leads to the field"
    assert not HistoryImport.objects.exists()


def test_a_file_just_over_5_mb_is_refused_by_the_form(client, teams, mira):
    force_verified_login(client, mira)
    page = text(upload(client, b"x" * (MAX_BYTES + 1)))
    assert str(TOO_BIG) in page
    assert not HistoryImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet file, not a CSV file."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This file is not a CSV file: it is not plain text."),
        (
            "conference_ref,held_on,team\nEK-1,2019,Zürich".encode("latin-1"),
            "not UTF-8 text (see line 2)",
        ),
        ("conference_ref".encode("utf-16"), "not UTF-8 text (see line 1)"),
    ],
    ids=["empty", "xlsx", "picture", "latin_1", "utf_16"],
)
def test_a_file_that_is_no_csv_gets_a_message_at_the_field(client, teams, mira, data, message):
    force_verified_login(client, mira)
    page = text(upload(client, data))
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary
    assert 'id="id_file_error"' in page
    assert 'id="faults-title"' not in page
    assert not HistoryImport.objects.exists()


def test_a_header_fault_is_listed_with_line_1(client, teams, mira):
    force_verified_login(client, mira)
    header = importing.COLUMNS[0] + "," + ",".join(importing.COLUMNS[2:])
    page = text(upload(client, csv_bytes("EK-1,Team Utrecht,8,,,,,", header=header)))
    assert fault_rows(page) == [
        ["1", "held_on", "(empty)", "This column is missing from the header."]
    ]


def test_no_file_chosen(client, teams, mira):
    force_verified_login(client, mira)
    page = text(client.post(URL, {}))
    assert "Choose the CSV file to import." in page


def test_a_post_without_the_form_token_is_refused(teams, mira):
    client = Client(enforce_csrf_checks=True)
    force_verified_login(client, mira)
    assert upload(client, csv_bytes(*GOOD[:4])).status_code == 403
    assert not ConferenceRecord.objects.exists()
