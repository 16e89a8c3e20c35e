"""Daan and Sanne in Carla's case in preparation (kring.testing.circle_people), for the rows
participants write in the access log."""

from kring.testing.circle_people import daan, sanne

__all__ = ["daan", "sanne"]
