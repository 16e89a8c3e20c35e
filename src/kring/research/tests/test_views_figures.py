"""The figures page (issue 13, points 2 and 5; R16), as Ruud (researcher) and Mira (Utrecht's
manager) read it: the researcher sees every team's figures and nothing else (no case, no name);
a team with four conferences shows no percentage but a dash with the reason; the manager sees her
own team only, whatever the URL asks; the filters refuse bad dates with a message, never a 500;
every read is logged, never cached, and takes as many queries for a large data set as for a
small one."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.research.figures_forms import default_period
from kring.research.models import Remark
from kring.research.tests.figures_data import EVERYTHING, PERIOD, conference, utrecht, zwolle
from kring.signing.tests.pages import dutch, text
from kring.testing.auth import force_verified_login
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("research:home")


def _section(page: str, title: str) -> str:
    return page.split(f">{title}</h2>", 1)[1].split("</section>", 1)[0]


def _row(page: str, label: str) -> str:
    return page.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]


@pytest.fixture
def vera(other_team):
    return UserFactory(username="vera", first_name="Vera", role=Role.MANAGER, team=other_team)


@pytest.fixture
def known(team, other_team):
    return utrecht(team), zwolle(other_team)


def test_ruud_reads_every_team_and_no_case_no_name(client, ruud, known, following_up, team):
    Remark.objects.create(
        case=following_up,
        team=team,
        role="harmed",
        text="Daan deed het goed",
        created_on=date(2026, 3, 9),
    )
    force_verified_login(client, ruud)
    page = text(client.get(URL, PERIOD))
    conferences = _section(page, "Conferences")
    # Ten conferences in all, with 8, 8, 9, 9, 10, 10 and four times 3 present.
    assert '<td class="figure-value">10</td>' in _row(conferences, "Conferences held")
    assert "6.6" in _row(conferences, "Participants per conference (mean)")
    assert "from 10 conferences" in _row(conferences, "Participants per conference (mean)")
    # The per-team table: Utrecht's shares, Zwolle's a dash with the reason; Utrecht's count
    # and mean hidden too (10 at 6.6 minus Utrecht's 6 at 9.0 would give Zwolle's away).
    teams = _section(page, "Per team")
    utrecht_row = teams.split("Team Utrecht</th>", 1)[1].split("</tr>", 1)[0]
    zwolle_row = teams.split("Team Zwolle</th>", 1)[1].split("</tr>", 1)[0]
    assert "83.3%" in utrecht_row
    assert "9.0" not in utrecht_row
    assert "hidden so that a small team cannot be worked out" in utrecht_row
    assert "%" not in zwolle_row
    assert "–" in zwolle_row and "fewer than 5 conferences" in zwolle_row
    # No case, no name, no free text, also in a period with Carla's case and its conference.
    page = text(client.get(URL, EVERYTHING))
    assert '<td class="figure-value">11</td>' in _row(page, "Conferences held")
    for secret in ("Daan", "Sanne", "Carla", following_up.reference, "deed het goed"):
        assert secret not in page
    assert "/zaken/" not in page
    assert reverse("research:remarks") not in page
    event = (
        AuditEvent.objects.filter(action="research.figures_viewed", actor=ruud)
        .order_by("pk")
        .first()
    )
    assert event.data == {"from": "2026-01-01", "to": "2026-06-30", "team": None}
    assert "no-store" in client.get(URL, PERIOD)["Cache-Control"]


def test_a_team_with_four_conferences_shows_no_percentage(client, ruud, known, other_team):
    force_verified_login(client, ruud)
    page = text(client.get(URL, {**PERIOD, "team": other_team.pk}))
    body = page.split("<h2", 1)[1]
    assert "%" not in body
    assert "fewer than 5 conferences" in _row(page, "Conferences held")
    assert "fewer than 5 conferences" in _row(
        page, "Share of persons responsible who are satisfied"
    )
    # The chart draws the bar empty, with the dash and the reason in words.
    assert 'class="chart-bar-empty"' in page
    assert "Share of persons responsible who are satisfied: – (fewer than 5 conferences)" in page
    assert "Team Zwolle" in page and "Per team" not in page


def test_the_shares_and_their_chart_say_the_numbers(client, ruud, known, team):
    force_verified_login(client, ruud)
    page = text(client.get(URL, {**PERIOD, "team": team.pk}))
    responsible = _row(page, "Share of persons responsible who are satisfied")
    assert "83.3%" in responsible and "from 6 answers" in responsible
    assert "83.3%" in _row(page, "Share of persons harmed who say the situation is restored")
    assert "100.0%" in _row(page, "Share of persons harmed who are satisfied")
    # The SVG has a text alternative that gives the same numbers.
    svg = page.split(
        '<svg role="img" aria-labelledby="chart-shares-title" aria-describedby="chart-shares-desc"',
        1,
    )[1]
    svg = svg.split("</svg>", 1)[0]
    assert '<title id="chart-shares-title">' in svg
    assert "Share of persons responsible who are satisfied: 83.3% from 6 answers" in svg


def test_mira_sees_only_her_own_team(client, mira, known, other_team):
    force_verified_login(client, mira)
    for query in (PERIOD, {**PERIOD, "team": other_team.pk}):
        page = text(client.get(URL, query))
        assert "Team Utrecht" in page
        assert "Team Zwolle" not in page
        assert '<td class="figure-value">6</td>' in _row(page, "Conferences held")
        assert "9.0" in _row(page, "Participants per conference (mean)")
        # None of Zwolle's: four conferences of three would show as 4 or 3.0 anywhere.
        assert "3.0" not in page
        assert "Per team" not in page
        # No team to choose: the form has from and until only.
        assert 'name="team"' not in page
    assert reverse("research:remarks") in page


def test_vera_sees_none_of_utrecht(client, vera, known):
    force_verified_login(client, vera)
    page = text(client.get(URL, PERIOD))
    assert "Team Zwolle" in page and "Team Utrecht" not in page
    assert "9.0" not in page and "83.3" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01", "to": "2026-12-31"}, "Enter a date, for example 2026-11-26."),
        (
            {"from": "2026-06-01", "to": "2026-01-01"},
            "The end date must not be before the start date.",
        ),
        ({"from": "0001-01-01", "to": "2026-12-31"}, "Enter a date between 1990 and 2100"),
        ({"from": "2026-01-01", "to": "9999-12-31"}, "Enter a date between 1990 and 2100"),
        ({"from": "", "to": "2026-12-31"}, "Enter a date, for example 2026-11-26."),
        ({**PERIOD, "team": "999999"}, "Choose a team from the list."),
        ({**PERIOD, "team": "x"}, "Choose a team from the list."),
    ],
)
def test_bad_filters_get_the_form_s_message_and_no_figures(client, ruud, known, query, message):
    force_verified_login(client, ruud)
    response = client.get(URL, query)
    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    assert "<title>Error: Figures" in page
    assert "There is a problem" in page
    assert message in page
    assert "Conferences held" not in page
    assert not AuditEvent.objects.filter(action="research.figures_viewed").exists()


def test_the_filters_speak_dutch(client, ruud, known):
    response = dutch(client, ruud).get(URL, {"from": "2026-06-01", "to": "2026-01-01"})
    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    assert "Er is een probleem" in page
    assert "Cijfers" in page


def test_without_dates_the_twelve_months_up_to_and_including_this_one():
    assert default_period(date(2026, 11, 29)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert default_period(date(2027, 1, 1)) == (date(2026, 2, 1), date(2027, 1, 31))
    assert default_period(date(2024, 2, 10)) == (date(2023, 3, 1), date(2024, 2, 29))
    assert default_period(date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_the_default_period_counts_this_month_s_conferences(client, ruud, team):
    """Five conferences held today, five on the first day of the period, five on the day
    before it: ten counted (the demo's live conferences are held today)."""
    today = timezone.localdate()
    start, end = default_period(today)
    for index in range(5):
        conference(team, today, 8, f"today-{index}")
        conference(team, start, 8, f"first-{index}")
        conference(team, start - timedelta(days=1), 40, f"before-{index}")
    force_verified_login(client, ruud)
    page = text(client.get(URL))
    assert f'value="{start.isoformat()}"' in page and f'value="{end.isoformat()}"' in page
    assert '<td class="figure-value">10</td>' in _row(page, "Conferences held")
    assert "8.0" in _row(page, "Participants per conference (mean)")


@pytest.mark.parametrize("who", ["carla", "bram", "admin_user"])
def test_no_one_else_reads_the_figures(client, request, known, who):
    force_verified_login(client, request.getfixturevalue(who))
    assert client.get(URL, PERIOD).status_code == 403
    assert not AuditEvent.objects.filter(action="research.figures_viewed").exists()


def test_a_manager_without_a_team_is_refused(client, known):
    lonely = UserFactory(username="lotte", role=Role.MANAGER, team=None)
    force_verified_login(client, lonely)
    assert client.get(URL, PERIOD).status_code == 403


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_many_conferences_as_for_few(
    client, ruud, mira, team, other_team
):
    zwolle(other_team)
    utrecht(team)
    counts = []
    for size in ("few", "many"):
        force_verified_login(client, ruud)
        client.get(URL, PERIOD)  # the first request after signing in also saves the session
        ruud_counts = _queries(client, PERIOD), _queries(client, {**PERIOD, "team": team.pk})
        force_verified_login(client, mira)
        client.get(URL, PERIOD)
        counts.append((*ruud_counts, _queries(client, PERIOD)))
        if size == "few":
            utrecht(team, copies=5, first=1)  # five more sets of the same six
    assert counts[0] == counts[1]


def test_the_import_link_shows_only_to_whom_may_import(client, ruud, mira, known):
    """Mira (a manager) imports her team's history from the figures page; Ruud (a researcher)
    may not import, and the page offers him no link to it."""
    link = reverse("research:import")
    force_verified_login(client, mira)
    assert f'href="{link}"' in text(client.get(URL, PERIOD))
    assert client.get(link).status_code == 200
    client.logout()
    force_verified_login(client, ruud)
    assert f'href="{link}"' not in text(client.get(URL, PERIOD))
    assert client.get(link).status_code == 403


def test_a_period_of_days_is_taken_as_whole_months_and_the_page_says_so(client, ruud, known):
    """One day apart within a month, the same page: a conference cannot be isolated."""
    force_verified_login(client, ruud)
    narrow = text(client.get(URL, {"from": "2026-03-02", "to": "2026-04-30"}))
    wide = text(client.get(URL, {"from": "2026-03-01", "to": "2026-04-30"}))
    for page in (narrow, wide):
        assert "From 1 March 2026 to 30 April 2026" in page
        assert "Figures cover whole months" in page
        assert '<td class="figure-value">10</td>' in _row(page, "Conferences held")
    # The exports too: the same rows for both.
    export = reverse("research:export", args=["csv"])
    assert (
        client.get(export, {"from": "2026-03-02", "to": "2026-04-30"}).content
        == client.get(export, {"from": "2026-03-01", "to": "2026-04-30"}).content
    )
