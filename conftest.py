import pytest

from kring.accounts.models import Role
from kring.testing.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Utrecht")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Team Zwolle")


@pytest.fixture
def carla(team):
    return UserFactory(username="carla", first_name="Carla", role=Role.COORDINATOR, team=team)


@pytest.fixture
def olaf(team):
    return UserFactory(username="olaf", first_name="Olaf", role=Role.COORDINATOR, team=team)


@pytest.fixture
def bram(team):
    return UserFactory(username="bram", first_name="Bram", role=Role.OFFICE, team=team)


@pytest.fixture
def mira(team):
    return UserFactory(username="mira", first_name="Mira", role=Role.MANAGER, team=team)


@pytest.fixture
def ruud(team):
    return UserFactory(username="ruud", first_name="Ruud", role=Role.RESEARCHER, team=None)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin",
        first_name="Ada",
        role=Role.ADMINISTRATOR,
        team=None,
        is_staff=True,
        is_superuser=True,
    )
