"""The fuzz tests run in the world of the authorization matrix (tests/authz/conftest.py, read
only), with hypothesis set up once: deterministic (derandomize, so CI and a local run try the
same inputs), without a .hypothesis folder (database=None), and without per-example deadlines
(this machine may be busy; the number of examples bounds the time instead)."""

from hypothesis import settings
from tests.authz.conftest import world  # noqa: F401 (the matrix's world, as a fixture here)

settings.register_profile("kring", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile("kring")
