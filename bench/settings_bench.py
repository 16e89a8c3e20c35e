"""Kring's own settings, unchanged, plus one URL for the bare view to compare against.

Nothing else differs from production: the same middleware, sessions in the database, the same
database options (persistent connections on PostgreSQL), WhiteNoise with collected files.
"""

from kring.settings import *  # noqa: F403

ROOT_URLCONF = "bench.benchurls"
