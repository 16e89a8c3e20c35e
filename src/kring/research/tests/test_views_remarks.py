"""The free-text answers of the questionnaires (issue 13, points 1 and 2): Mira, the team's
manager, reads her team's, newest first, 25 to a page, with the role and the month (not the day)
and a link to the case; the read is logged and never cached. Ruud (researcher) is refused, and so
is everyone else; the manager of another team reads none of them. The page takes as many
queries for 60 answers as for 3."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.research.models import Remark
from kring.signing.tests.pages import text
from kring.testing.auth import force_verified_login
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("research:remarks")


def remarks(case, n: int, *, first: int = 0) -> None:
    for index in range(first, first + n):
        Remark.objects.create(
            case=case,
            team=case.team,
            role="harmed" if index % 2 else "responsible",
            text=f"Opmerking {index}",
            created_on=date(2026, 1 + index % 12, 1 + index % 28),
        )


def test_mira_reads_what_her_team_s_participants_wrote(client, mira, following_up):
    Remark.objects.create(
        case=following_up,
        team=following_up.team,
        role="harmed",
        text="Het hielp.",
        created_on=date(2026, 3, 9),
    )
    Remark.objects.create(
        case=following_up,
        team=following_up.team,
        role="responsible",
        text="Ik ben blij.",
        created_on=date(2026, 5, 17),
    )
    force_verified_login(client, mira)
    response = client.get(URL)
    page = text(response)
    assert "no-store" in response["Cache-Control"]
    # Newest first; the month, not the day.
    assert page.index("Ik ben blij.") < page.index("Het hielp.")
    assert "May 2026" in page and "March 2026" in page
    assert "17 May" not in page and "9 March" not in page
    assert "Responsible" in page and "Harmed" in page
    assert (
        f'<a href="{reverse("cases:detail", args=[following_up.pk])}">{following_up.reference}</a>'
        in page
    )
    event = AuditEvent.objects.get(action="research.remarks_viewed", actor=mira)
    # Which free texts were shown: "who read Sanne's remark?" has an answer (ids, no text).
    shown = Remark.objects.filter(case=following_up).order_by("pk")
    assert sorted(event.data["remarks"]) == [remark.pk for remark in shown]
    assert event.data["cases"] == [following_up.pk]
    assert "Het hielp." not in str(event.data)
    # From the figures page, a link for the manager.
    assert URL in text(client.get(reverse("research:home")))


def test_twenty_five_to_a_page(client, mira, following_up):
    remarks(following_up, 30)
    force_verified_login(client, mira)
    first = text(client.get(URL))
    assert first.count("Opmerking ") == 25
    second = text(client.get(URL, {"page": 2}))
    assert second.count("Opmerking ") == 5
    assert "Page 2 of 2" in second
    # Each page's row names the remarks of that page only.
    first_read, second_read = AuditEvent.objects.filter(action="research.remarks_viewed").order_by(
        "pk"
    )
    assert len(first_read.data["remarks"]) == 25
    assert len(second_read.data["remarks"]) == 5
    assert not set(first_read.data["remarks"]) & set(second_read.data["remarks"])


@pytest.mark.parametrize("who", ["ruud", "carla", "bram", "admin_user"])
def test_no_one_but_the_manager_reads_them(client, request, following_up, who):
    remarks(following_up, 1)
    force_verified_login(client, request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Opmerking" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="research.remarks_viewed").exists()


def test_the_manager_of_another_team_reads_none_of_them(client, following_up, other_team):
    remarks(following_up, 3)
    vera = UserFactory(username="vera", role=Role.MANAGER, team=other_team)
    force_verified_login(client, vera)
    page = text(client.get(URL))
    assert "Opmerking" not in page
    assert following_up.reference not in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_as_many_queries_for_many_as_for_few(client, mira, following_up):
    remarks(following_up, 3)
    force_verified_login(client, mira)
    client.get(URL)
    few = _queries(client)
    remarks(following_up, 57, first=3)
    assert _queries(client) == few
