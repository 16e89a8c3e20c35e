"""The benchmark of issue 2, point 12: see docs/benchmarks.md and bench/run.py."""
