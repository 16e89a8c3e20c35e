"""The world the authorization matrix runs in: the named people of conftest.py, one per role,
and a case in every state the pages need, made through the real actions."""

from dataclasses import dataclass, field

import pytest

from kring.accounts.models import User
from kring.cases import actions
from kring.cases.models import Assignment, Case
from kring.testing.factories import ReferralFactory


@dataclass
class World:
    users: dict[str, User]  # role id in the table -> the person who plays it
    objects: dict[str, object] = field(default_factory=dict)  # name in the table -> object

    def user(self, role: str) -> User | None:
        return self.users.get(role)


def _taken_on(bram) -> Case:
    return actions.take_on(actions.open_case(ReferralFactory()), by=bram)


def _offered_to(carla, bram) -> Case:
    case = _taken_on(bram)
    actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    return case


@pytest.fixture
def world(carla, olaf, bram, mira, ruud, admin_user, team, other_team) -> World:
    requested = actions.open_case(ReferralFactory())  # in the inbox, no team yet
    referred = _taken_on(bram)  # bram's team, no coordinator yet
    offered = _offered_to(carla, bram)  # an open offer to carla
    assigned = _offered_to(carla, bram)  # carla accepted: her case
    offer = Assignment.objects.get(case=assigned, coordinator=carla, status="offered")
    assigned = actions.accept_assignment(offer, declares_independence=True, by=carla)
    return World(
        users={
            "office": bram,
            "coordinator": carla,
            "other_coordinator": olaf,
            "manager": mira,
            "researcher": ruud,
            "administrator": admin_user,
        },
        objects={
            "requested_case": requested,
            "referred_case": referred,
            "offered_case": offered,
            "assigned_case": assigned,
            "user": carla,  # the user the admin pages open
            "team": team,
        },
    )
