"""docs/deployment.md and scripts/deploy-smoke.sh name the same steps, so that the guide cannot
lose a step the smoke test runs, nor the smoke test skip a step the guide documents."""

import importlib.util
import re
import subprocess
from base64 import b32encode
from pathlib import Path

from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
SCRIPT = ROOT / "scripts" / "deploy-smoke.sh"


def documented(text: str) -> list[str]:
    return re.findall(r"^<!-- smoke: ([a-z-]+) -->$", text, re.MULTILINE)


def scripted(text: str) -> list[str]:
    return re.findall(r"^step ([a-z-]+)$", text, re.MULTILINE)


def test_every_documented_step_is_run_by_the_smoke_script_and_every_step_is_documented():
    guide, script = documented(GUIDE.read_text()), scripted(SCRIPT.read_text())
    assert len(guide) == len(set(guide)), "a step marked twice in the guide"
    assert len(script) == len(set(script)), "a step run twice by the script"
    assert set(guide) == set(script)
    for step in ("install", "migrate", "admin", "start", "backup", "restore"):
        assert step in guide


def test_the_script_refuses_to_run_when_a_documented_step_is_missing(tmp_path):
    """The script's own check, on a copy without one `step` line: it stops before it starts."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "docs" / "deployment.md").write_text(GUIDE.read_text())
    copy = tmp_path / "scripts" / "deploy-smoke.sh"
    copy.write_text(SCRIPT.read_text().replace("\nstep backup\n", "\n"))
    result = subprocess.run(["bash", str(copy)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "only in the guide: backup" in result.stderr


def test_the_smoke_scripts_totp_agrees_with_django_otp():
    spec = importlib.util.spec_from_file_location(
        "deploy_smoke", ROOT / "scripts" / "deploy_smoke.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    key = bytes(range(20))
    secret = " ".join(b32encode(key).decode()[i : i + 4] for i in range(0, 32, 4))
    for moment in (0, 59, 1_111_111_109, 2_000_000_000):
        reference = TOTP(key, step=30, digits=6)
        reference.time = moment
        assert module.totp(secret, moment) == f"{reference.token():06d}"
