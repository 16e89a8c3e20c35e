import pytest

from kring.cases import actions
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
    offer = offered_case.assignments.get(coordinator=carla, status="offered")
    return actions.accept_assignment(offer, declares_independence=True, by=carla)
