"""Shared scheduling fixtures (issue 9): Carla's case in preparation with Daan, Sanne and their
circles (kring.testing.circle_people). Each part of the app appends its fixtures below."""

from kring.testing.circle_people import acknowledge, daan, daan_acknowledged, joost, ria, sanne

__all__ = ["acknowledge", "daan", "daan_acknowledged", "joost", "ria", "sanne"]
