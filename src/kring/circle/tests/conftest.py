"""Shared circle fixtures: Carla's case in preparation, with Daan (responsible) and Sanne (harmed)
and their circles. The people, and the contact details planted in Sanne's record, are those of
kring.testing.people, the same in every app's tests; the fixtures are kring.testing.circle_people.
A test that needs Daan to have acknowledged his part asks for `daan_acknowledged`."""

import pytest

from kring.testing.circle_people import acknowledge, daan, daan_acknowledged, joost, ria, sanne

# `acknowledge` too, for the tests that import it from here (kring.testing.circle_people has it).
__all__ = ["acknowledge", "circle_of_both", "daan", "daan_acknowledged", "joost", "ria", "sanne"]


@pytest.fixture
def circle_of_both(joost, ria):
    """A supporter for each: Daan's brother Joost and Sanne's aunt Ria."""
    return {"joost": joost, "ria": ria}
