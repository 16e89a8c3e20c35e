"""Teams have areas (issue 8, point 7): the administrator keeps them on the team's page in
/beheer/, no municipality and no postcode belongs to two teams, and a place finds its team."""

import pytest
from django.urls import reverse

from kring.accounts.areas import postcode_number, team_for_place
from kring.accounts.models import Team, TeamArea
from kring.audit.models import AuditEvent
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(team, other_team):
    """Team Utrecht: the municipality Utrecht and postcodes 3500-3585; Team Zwolle: Zwolle,
    Súdwest-Fryslân (to test accents) and postcodes 8000-8049."""
    TeamArea.objects.create(team=team, municipality="Utrecht", postcode_from=3500, postcode_to=3585)
    TeamArea.objects.create(team=other_team, municipality="Zwolle")
    TeamArea.objects.create(team=other_team, municipality="Súdwest-Fryslân")
    TeamArea.objects.create(team=other_team, postcode_from=8000, postcode_to=8049)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Zwolle", "Team Zwolle"),
        ("  zwolle ", "Team Zwolle"),
        ("ZWOLLE", "Team Zwolle"),
        ("sudwest-fryslan", "Team Zwolle"),  # without the accents
        ("Súdwest-Fryslân", "Team Zwolle"),
        ("8011", "Team Zwolle"),
        ("8011 AB", "Team Zwolle"),
        ("8011ab", "Team Zwolle"),
        ("8000", "Team Zwolle"),  # the first of the range
        ("8049", "Team Zwolle"),  # the last of the range
        ("3511 AB Utrecht", "Team Utrecht"),
        ("utrecht", "Team Utrecht"),
        # A postcode outside every range: the municipality after it decides.
        ("8260 AA Zwolle", "Team Zwolle"),
        # Nowhere: the central inbox.
        ("8050", None),
        ("Kampen", None),
        ("Zwolle-Zuid", None),
        ("", None),
        ("   ", None),
    ],
)
def test_a_place_finds_the_team_that_works_there(areas, place, expected):
    team = team_for_place(place)
    assert (team.name if team else None) == expected


def test_a_postcode_is_its_four_digits():
    assert postcode_number("8011 AB") == 8011
    assert postcode_number("0800") is None  # no Dutch postcode starts with 0
    assert postcode_number("Zwolle") is None
    assert postcode_number("80112") is None


# --- the administrator keeps the areas ----------------------------------------------------------


def _team_page(team: Team, *rows: dict, existing=()) -> dict:
    """The team's change form as the browser posts it: the name, the areas already there
    (unchanged unless given) and the new rows."""
    data = {
        "name": team.name,
        "areas-TOTAL_FORMS": str(len(existing) + len(rows)),
        "areas-INITIAL_FORMS": str(len(existing)),
        "areas-MIN_NUM_FORMS": "0",
        "areas-MAX_NUM_FORMS": "1000",
    }
    for i, area in enumerate(existing):
        data.update(
            {
                f"areas-{i}-id": str(area.pk),
                f"areas-{i}-team": str(team.pk),
                f"areas-{i}-municipality": area.municipality,
                f"areas-{i}-postcode_from": area.postcode_from or "",
                f"areas-{i}-postcode_to": area.postcode_to or "",
            }
        )
    for i, row in enumerate(rows, start=len(existing)):
        data[f"areas-{i}-team"] = str(team.pk)
        for field in ("municipality", "postcode_from", "postcode_to"):
            data[f"areas-{i}-{field}"] = row.get(field, "")
    return data


@pytest.fixture
def admin_client(client, admin_user):
    force_verified_login(client, admin_user)
    return client


def _save(admin_client, team, *rows, existing=()):
    return admin_client.post(
        reverse("admin:accounts_team_change", args=[team.pk]),
        _team_page(team, *rows, existing=existing),
    )


def _errors(response) -> str:
    assert response.status_code == 200, "the page should be shown again with the errors"
    return response.content.decode()


def test_the_administrator_gives_a_team_its_areas_and_the_change_is_audited(
    admin_client, admin_user, other_team
):
    response = _save(
        admin_client,
        other_team,
        {"municipality": " Zwolle "},
        {"postcode_from": "8000", "postcode_to": "8049"},
    )
    assert response.status_code == 302
    assert [str(area) for area in other_team.areas.all()] == ["8000–8049", "Zwolle"]
    assert team_for_place("8011 AB") == other_team
    row = AuditEvent.objects.get(action="team.changed", team_id=other_team.pk)
    assert row.actor == admin_user
    assert row.data["changes"]["areas"] == {"old": [], "new": ["8000–8049", "Zwolle"]}
    # The list of teams shows where each works.
    listing = admin_client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert "8000–8049; Zwolle" in listing


def test_a_municipality_of_another_team_is_refused_with_the_team_named(
    admin_client, areas, team, other_team
):
    html = _errors(_save(admin_client, team, {"municipality": "ZWOLLE"}))
    assert "Zwolle already belongs to Team Zwolle." in html
    assert not team.areas.filter(municipality_key="zwolle").exists()


def test_a_municipality_twice_on_the_page_is_refused(admin_client, team):
    html = _errors(
        _save(admin_client, team, {"municipality": "Utrecht"}, {"municipality": "utrecht"})
    )
    assert "This municipality is already listed for this team." in html
    assert not TeamArea.objects.exists()


def test_a_postcode_range_overlapping_another_teams_is_refused(admin_client, areas, team):
    html = _errors(_save(admin_client, team, {"postcode_from": "8040", "postcode_to": "8099"}))
    assert "Postcodes 8040–8099 overlap with 8000–8049 of Team Zwolle." in html
    assert not team.areas.filter(postcode_from=8040).exists()


def test_a_range_next_to_another_teams_is_allowed(admin_client, areas, team):
    response = _save(admin_client, team, {"postcode_from": "8050", "postcode_to": "8099"})
    assert response.status_code == 302
    assert team_for_place("8050") == team


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({}, None),  # an empty extra row is ignored, as Django does
        ({"postcode_from": "8000"}, "Give both the first and the last postcode of the range."),
        ({"postcode_to": "8099"}, "Give both the first and the last postcode of the range."),
        (
            {"postcode_from": "8099", "postcode_to": "8000"},
            "The last postcode must not be lower than the first.",
        ),
        ({"postcode_from": "800", "postcode_to": "8099"}, "greater than or equal to 1000"),
    ],
)
def test_a_range_must_be_whole_and_in_order(admin_client, team, row, message):
    response = _save(admin_client, team, row)
    if message is None:
        assert response.status_code == 302
    else:
        assert message in _errors(response)
    assert not TeamArea.objects.exists()


def test_an_area_needs_a_municipality_or_postcodes():
    area = TeamArea(municipality="  ")
    with pytest.raises(Exception) as refused:
        area.full_clean(exclude=["team"])
    assert "Give a municipality, a range of postcodes, or both." in str(refused.value)


def test_only_the_administrator_changes_areas(client, mira, areas, other_team):
    """The manager (a staff role) cannot reach the team's page, nor change its areas."""
    force_verified_login(client, mira)
    response = client.post(
        reverse("admin:accounts_team_change", args=[other_team.pk]),
        _team_page(other_team, {"municipality": "Kampen"}),
    )
    assert response.status_code in (302, 403)
    assert team_for_place("Kampen") is None
