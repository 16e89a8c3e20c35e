"""The team's overdue agreements (issue 12, point 1; R15), as Mira (the team's manager) reads
them: every agreement of the team's cases in follow-up past its date and still open or partly
done, oldest first, a page at a time; a list of agreements, not of people (no participant's name,
nothing of what was agreed). Carla, Bram and the manager of another team are refused; the list
makes as many queries for 1,000 agreements as for 10."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.followup import queries
from kring.followup.models import AgreementState, TrackedAgreement
from kring.signing.tests.pages import dutch, text
from kring.testing.auth import force_verified_login
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("followup:overdue")


def past(days: int) -> date:
    return queries.today() - timedelta(days=days)


def test_mira_reads_the_team_agreements_past_their_date(
    client, following_up, bike, school, mira, carla
):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=past(12))
    force_verified_login(client, mira)
    page = text(client.get(URL))
    assert "Agreements past their date" in page
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert following_up.reference in row
    assert reverse("followup:tracker", args=[following_up.pk]) in row
    assert "Carla" in row
    assert f'<td data-label="Agreement number">{bike.number}</td>' in row
    assert '<td data-label="Days past the date">12</td>' in row
    assert past(12).strftime("%Y-%m-%d") in row
    assert "Open" in row
    # One agreement: the other has no date.
    assert page.count("<tr>") == 2
    # A list of agreements, not of people: no participant's name, nothing of what was agreed.
    for name in ("Daan de Boer", "Sanne Jansen", "Joost de Boer", "Ria Jansen"):
        assert name not in page
    assert bike.what not in page
    assert AuditEvent.objects.filter(action="followup.overdue_viewed", actor=mira).exists()
    assert "no-store" in client.get(URL)["Cache-Control"]


def test_the_list_is_in_the_manager_menu_in_dutch(client, following_up, mira):
    page = text(dutch(client, mira).get(URL))
    assert "Afspraken over de datum" in page
    assert f'href="{URL}" aria-current="page"' in page
    assert "Geen enkele afspraak van het team is over de datum." in page


def test_only_agreements_still_open_past_their_date_in_follow_up_count(
    client, following_up, bike, school, mira
):
    force_verified_login(client, mira)
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=past(1))
    TrackedAgreement.objects.filter(pk=school.pk).update(
        due=past(5), state=AgreementState.PARTLY_DONE
    )
    page = text(client.get(URL))
    assert page.count("<tr>") == 3
    # Oldest date first.
    assert page.index(">5</td>") < page.index(">1</td>")
    # Done or not kept: no longer waiting to be kept.
    TrackedAgreement.objects.filter(pk=school.pk).update(state=AgreementState.DONE)
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.NOT_KEPT)
    assert "No agreement of the team is past its date." in text(client.get(URL))
    # Today's date is not past yet.
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.OPEN, due=past(0))
    assert "No agreement of the team is past its date." in text(client.get(URL))
    # A closed case is not followed any more.
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=past(3))
    Case.objects.filter(pk=following_up.pk).update(state=State.CLOSED)
    assert "No agreement of the team is past its date." in text(client.get(URL))


def test_coordinators_the_office_and_another_team_do_not_see_the_list(
    client, following_up, bike, carla, bram, other_team
):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=past(3))
    for user in (carla, bram):
        force_verified_login(client, user)
        assert client.get(URL).status_code == 403
    vera = UserFactory(username="vera", role=Role.MANAGER, team=other_team)
    force_verified_login(client, vera)
    page = text(client.get(URL))
    assert following_up.reference not in page
    assert "No agreement of the team is past its date." in page
    client.logout()
    assert client.get(URL).status_code == 302


def _overdue(case, n: int) -> None:
    first = TrackedAgreement.objects.filter(case=case).first()
    TrackedAgreement.objects.bulk_create(
        TrackedAgreement(
            case=case,
            version=first.version,
            number=100 + i,
            what=f"Agreement made for the count {i}",
            owner=first.owner,
            due=past(1 + i % 30),
        )
        for i in range(n)
    )


def _queries(client, url=URL) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_makes_as_many_queries_for_1000_agreements_as_for_10(client, following_up, mira):
    force_verified_login(client, mira)
    _overdue(following_up, 10)
    _queries(client)  # the first request of a session reads a little more
    few = _queries(client)
    _overdue(following_up, 990)
    assert _queries(client) == few
    assert _queries(client, URL + "?page=7") == few
    page = text(client.get(URL + "?page=2"))
    assert "Page 2 of more than 12" in page  # counted 10 pages ahead (kring.core.pagination)
    assert "Page 40 of 40" in text(client.get(URL + "?page=40"))
