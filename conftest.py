import pytest
from django.utils import translation

from kring.accounts.models import Role
from kring.testing.factories import TeamFactory, UserFactory

pytest_plugins = ["kring.testing.fixtures"]


@pytest.fixture(autouse=True)
def english():
    """Tests read the English source text: Dutch is the default (LANGUAGE_CODE = "nl"), so
    code outside a request and the test client both speak English unless a test asks for Dutch
    (translation.override("nl"), or a client with HTTP_ACCEPT_LANGUAGE="nl"). That the Dutch
    is complete is checked by scripts/check_translations.py and the browser tests (in Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


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
