"""The research fixtures (Carla's case taken through its stages to follow-up) and the figures'
summary up to date at the start of each test, for the summary's tests here: they change cases
through every app's actions, the erasure (kring.privacy) and the generator (kring.demo)
included, which the research app's own tests may not import (the layers, .importlinter)."""

from kring.research.tests.conftest import *  # noqa: F403
from kring.research.tests.conftest import __all__ as _research_fixtures
from kring.research.tests.conftest import figures_summary_up_to_date

__all__ = [*_research_fixtures, "figures_summary_up_to_date"]
