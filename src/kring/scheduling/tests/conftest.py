"""Shared scheduling fixtures (issue 9): Carla's case in preparation with Daan, Sanne and their
circles (kring.testing.circle_people). Each part of the app appends its fixtures below."""

import pytest

from kring.testing.circle_people import acknowledge, daan, daan_acknowledged, joost, ria, sanne

__all__ = ["acknowledge", "daan", "daan_acknowledged", "joost", "ria", "sanne"]


# --- invitations and reminders (issue 9, points 5 and 6) ---------------------------------------


@pytest.fixture
def everyone_said_yes(daan, sanne, joost, ria):
    """Daan, Sanne, Joost and Ria said yes; Ria has no e-mail address (she gets a letter)."""
    from kring.circle.models import Participant
    from kring.scheduling.tests.meeting_fixtures import said_yes

    Participant.objects.filter(pk=ria.pk).update(email="", address="Tantelaan 9\n3511 CC Utrecht")
    said_yes(daan, sanne, joost, ria)
    return {"daan": daan, "sanne": sanne, "joost": joost, "ria": ria}


@pytest.fixture
def linde(team):
    """Buurthuis De Linde, a venue of Carla's team: step-free, with a hearing loop."""
    from kring.scheduling.tests.meeting_fixtures import linde_of

    return linde_of(team)


@pytest.fixture
def summer_meeting(preparing_case, carla, linde, everyone_said_yes):
    """Carla's case's confirmed meeting in summer time: Thursday 15 July 2027, 19:00-21:30 in
    Amsterdam, at De Linde."""
    from kring.scheduling.tests.meeting_fixtures import confirmed_meeting, local

    return confirmed_meeting(
        preparing_case,
        by=carla,
        venue=linde,
        starts_at=local(2027, 7, 15, 19, 0),
        ends_at=local(2027, 7, 15, 21, 30),
    )
