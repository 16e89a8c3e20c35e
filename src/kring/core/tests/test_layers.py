"""The apps depend downward: the contract in .importlinter holds (also `make test`, step imports)."""

import subprocess
import sys
from pathlib import Path

import pytest

import kring

ROOT = Path(kring.__file__).resolve().parents[2]


def test_no_app_imports_from_a_layer_above_its_own():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)
