"""Kring's own settings, unchanged, plus one URL for the bare view to compare against and the
flag that lets kring.demo.generate fill the benchmark's database (KRING_BENCHMARK).

Nothing else differs from production: the same middleware, sessions in the database, the same
database options (persistent connections on PostgreSQL), WhiteNoise with collected files.
"""

from kring.settings import *  # noqa: F403

ROOT_URLCONF = "bench.benchurls"

# The benchmark's database is made to be filled by kring.demo.generate (bench/generate.py,
# bench/figures.py), which refuses any other database outside demo and debug mode: synthetic
# answers must never spoil a real organisation's figures.
KRING_BENCHMARK = True
