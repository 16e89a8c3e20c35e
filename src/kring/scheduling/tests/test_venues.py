"""Venues (issue 9, point 1): the office and the manager of a team keep its venues through the
pages; a venue is taken out of use, never deleted, and keeps its meetings."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.scheduling import venues
from kring.scheduling.models import Meeting, Venue
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Wijkcentrum De Pijler",
    "address": "Pijlerstraat 1\n3512 AA Utrecht",
    "capacity": "14",
    "step_free": "on",
    "hearing_loop": "on",
    "route": "Tram 22 tot de Pijler.",
    "notes": "Sleutel bij de beheerder.",
}


def make(team, name="Buurthuis De Linde", **extra) -> Venue:
    return Venue.objects.create(
        team=team, name=name, address="Lindeplein 1, Utrecht", capacity=12, **extra
    )


@pytest.fixture
def wim(other_team):
    """The office of the other team."""
    return UserFactory(username="wim", first_name="Wim", role=Role.OFFICE, team=other_team)


def html(response) -> str:
    return response.content.decode()


# --- the list -------------------------------------------------------------------------------------


def test_the_office_sees_its_teams_venues_in_use_first_and_the_retired_ones_apart(
    as_user, bram, team, other_team
):
    make(team, "Zaal Zuid")
    make(team, "Aula Noord", retired_at=timezone.now())
    make(team, "Buurthuis Oost")
    make(other_team, "Zwolse zaal")
    page = html(as_user(bram).get(reverse("scheduling:venues")))
    in_use, _, retired = page.partition('id="venues-retired"')
    assert in_use.index("Buurthuis Oost") < in_use.index("Zaal Zuid")
    assert "Aula Noord" in retired and "Aula Noord" not in in_use
    assert "Zwolse zaal" not in page  # another team's


def test_the_list_is_paginated(as_user, mira, team):
    for number in range(30):
        make(team, f"Zaal {number:02}")
    client = as_user(mira)
    first = html(client.get(reverse("scheduling:venues")))
    second = html(client.get(reverse("scheduling:venues") + "?page=2"))
    assert "Zaal 00" in first and "Zaal 29" not in first
    assert "Zaal 29" in second and "Zaal 00" not in second


# --- adding and changing -------------------------------------------------------------------------


def test_the_office_adds_a_venue_and_the_audit_log_keeps_no_text(as_user, bram, team):
    response = as_user(bram).post(reverse("scheduling:venue_add"), DETAILS)
    assert response.status_code == 302 and response["Location"] == reverse("scheduling:venues")
    venue = Venue.objects.get(team=team)
    assert (venue.name, venue.capacity, venue.step_free, venue.parking) == (
        "Wijkcentrum De Pijler",
        14,
        True,
        False,
    )
    event = AuditEvent.objects.get(action="venue.added")
    assert event.actor == bram and event.team_id == team.pk
    assert "Pijlerstraat" not in str(event.data) and "Sleutel" not in str(event.data)


def test_the_manager_changes_a_venue(as_user, mira, team):
    venue = make(team)
    response = as_user(mira).post(
        reverse("scheduling:venue_edit", args=[venue.pk]), {**DETAILS, "capacity": "20"}
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert (venue.name, venue.capacity) == ("Wijkcentrum De Pijler", 20)
    event = AuditEvent.objects.get(action="venue.changed")
    assert set(event.data["fields"]) >= {"name", "capacity", "address"}
    assert "Pijler" not in str(event.data)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "501"}, "capacity"),
        ({"capacity": "twaalf"}, "capacity"),
        ({"capacity": ""}, "capacity"),
        ({"address": "   "}, "address"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_gets_a_clear_message_at_the_field_and_changes_nothing(
    as_user, bram, team, change, field
):
    response = as_user(bram).post(reverse("scheduling:venue_add"), {**DETAILS, **change})
    assert response.status_code == 200
    assert not Venue.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == [field]
    page = html(response)
    assert 'class="error-summary"' in page
    assert str(form.errors[field][0]) in page


def test_the_capacity_message_says_what_is_allowed(as_user, bram):
    response = as_user(bram).post(reverse("scheduling:venue_add"), {**DETAILS, "capacity": "0"})
    # Dutch (the catalogue): "een getal van 1 tot 500".
    assert "1" in str(response.context["form"].errors["capacity"][0])
    assert "500" in str(response.context["form"].errors["capacity"][0])


def test_a_change_of_nothing_writes_no_audit_row(bram, team):
    venue = make(team)
    venues.update_venue(venue, by=bram, name=venue.name, capacity=venue.capacity)
    assert not AuditEvent.objects.filter(action="venue.changed").exists()


# --- retiring ------------------------------------------------------------------------------------


def test_a_retired_venue_keeps_its_meetings_and_is_no_longer_offered(
    as_user, bram, carla, team, preparing_case
):
    venue = make(team)
    meeting = Meeting.objects.create(
        case=preparing_case,
        status=Meeting.Status.CONFIRMED,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(hours=2),
        venue=venue,
        created_by=carla,
    )
    assert venue in venues.in_use(team)
    client = as_user(bram)
    edit = html(client.get(reverse("scheduling:venue_edit", args=[venue.pk])))
    assert reverse("scheduling:venue_retire", args=[venue.pk]) in edit
    response = client.post(reverse("scheduling:venue_retire", args=[venue.pk]))
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.is_retired and venue not in venues.in_use(team)
    meeting.refresh_from_db()
    assert meeting.venue == venue
    assert AuditEvent.objects.filter(action="venue.retired", object_id=str(venue.pk)).exists()
    # Its page now offers to put it back, not to retire it again.
    edit = html(client.get(reverse("scheduling:venue_edit", args=[venue.pk])))
    assert reverse("scheduling:venue_retire", args=[venue.pk]) not in edit
    assert reverse("scheduling:venue_reinstate", args=[venue.pk]) in edit
    client.post(reverse("scheduling:venue_reinstate", args=[venue.pk]))
    venue.refresh_from_db()
    assert not venue.is_retired and venue in venues.in_use(team)
    assert AuditEvent.objects.filter(action="venue.reinstated").exists()


def test_retiring_a_retired_venue_again_is_refused_and_changes_nothing(as_user, bram, team):
    retired_at = timezone.now() - timezone.timedelta(days=3)
    venue = make(team, retired_at=retired_at)
    response = as_user(bram).post(reverse("scheduling:venue_retire", args=[venue.pk]), follow=True)
    venue.refresh_from_db()
    assert venue.retired_at == retired_at
    assert not AuditEvent.objects.filter(action="venue.retired").exists()
    assert response.context["messages"]  # the reason is shown


def test_there_is_no_way_to_delete_a_venue():
    from kring.scheduling import urls  # noqa: PLC0415

    assert not [p for p in urls.urlpatterns if "delete" in p.name or "verwijder" in str(p.pattern)]


# --- who may ---------------------------------------------------------------------------------------


def test_another_teams_office_gets_a_404_and_changes_nothing(as_user, wim, team):
    venue = make(team)
    client = as_user(wim)
    assert client.get(reverse("scheduling:venue_edit", args=[venue.pk])).status_code == 404
    edit = client.post(reverse("scheduling:venue_edit", args=[venue.pk]), DETAILS)
    retire = client.post(reverse("scheduling:venue_retire", args=[venue.pk]))
    assert (edit.status_code, retire.status_code) == (404, 404)
    venue.refresh_from_db()
    assert venue.name == "Buurthuis De Linde" and not venue.is_retired
    # Wim's own list holds his own team's venues only.
    assert "Buurthuis De Linde" not in html(client.get(reverse("scheduling:venues")))


@pytest.mark.parametrize("who", ["carla", "admin_user", "ruud"])
def test_coordinators_the_administrator_and_researchers_are_refused(
    request, as_user, team, bram, who
):
    venue = make(team)
    client = as_user(request.getfixturevalue(who))
    for name in ("scheduling:venues", "scheduling:venue_add", "scheduling:calendar"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("scheduling:venue_edit", args=[venue.pk])).status_code == 403
    assert client.post(reverse("scheduling:venue_add"), DETAILS).status_code == 403
    assert client.post(reverse("scheduling:venue_retire", args=[venue.pk])).status_code == 403
    assert Venue.objects.count() == 1 and not Venue.objects.get().is_retired
    # The same POSTs by the office do change something.
    office = as_user(bram)
    office.post(reverse("scheduling:venue_add"), DETAILS)
    office.post(reverse("scheduling:venue_retire", args=[venue.pk]))
    assert Venue.objects.count() == 2 and Venue.objects.get(pk=venue.pk).is_retired


def test_an_anonymous_visitor_is_sent_to_sign_in(client, team):
    venue = make(team)
    for url in (
        reverse("scheduling:venues"),
        reverse("scheduling:venue_add"),
        reverse("scheduling:venue_edit", args=[venue.pk]),
        reverse("scheduling:calendar"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.post(reverse("scheduling:venue_retire", args=[venue.pk]))
    venue.refresh_from_db()
    assert not venue.is_retired


def test_the_office_menu_leads_to_the_venues_and_the_calendar(as_user, bram):
    page = html(as_user(bram).get(reverse("scheduling:venues")))
    assert f'href="{reverse("scheduling:venues")}"' in page
    assert f'href="{reverse("scheduling:calendar")}"' in page
