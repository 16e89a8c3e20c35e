"""Fixtures shared by every app's tests (loaded by the root conftest.py): a case at each step
of the lifecycle, made through the real actions, and a signed-in client."""

import pytest

from kring.cases import actions
from kring.circle import actions as circle_actions
from kring.testing.auth import force_verified_login
from kring.testing.factories import ReferralFactory


@pytest.fixture
def requested_case(db):
    """A request in the office inbox, with Daan (responsible) and Sanne (harmed) named."""
    return actions.open_case(ReferralFactory())


@pytest.fixture
def referred_case(requested_case, bram):
    return actions.take_on(requested_case, by=bram)


@pytest.fixture
def offered_case(referred_case, bram, carla):
    actions.offer_to_coordinator(referred_case, coordinator=carla, by=bram)
    return referred_case


@pytest.fixture
def carlas_case(offered_case, carla):
    """Assigned to Carla, who declared her independence (R2)."""
    offer = offered_case.assignments.get(coordinator=carla, status="offered")
    return actions.accept_assignment(offer, declares_independence=True, by=carla)


@pytest.fixture
def preparing_case(carlas_case, carla):
    return circle_actions.start_preparation(carlas_case, by=carla)


@pytest.fixture
def as_user(client):
    """`as_user(carla)`: the test client, signed in as that user with the second factor."""

    def login(user):
        force_verified_login(client, user)
        return client

    return login
