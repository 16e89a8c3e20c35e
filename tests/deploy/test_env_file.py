"""The environment file (deploy/kring.env.example) is read the same by systemd's
EnvironmentFile= and by a shell (`set -a; . /etc/kring/env; set +a`, deploy/with-env)."""

import os
import re
import shutil
import subprocess

import pytest

from tests.deploy.units import DEPLOY, ROOT, parse_environment_file

EXAMPLE = DEPLOY / "kring.env.example"

# Values that need the quoting rules of the example's header, in the part of the syntax that
# systemd and the shell share.
AWKWARD = """\
# a comment
KRING_EMAIL_FROM="Kring <kring@example.org>"
KRING_ORGANISATION="Eigen Kracht Centrale; regio (Midden) & Oost | #1"
KRING_EMAIL_PASSWORD='p$ss`word"with\\backslash'
KRING_EMPTY=
KRING_PLAIN=abc:def/ghi?x=1
"""

BASH = shutil.which("bash") or "/bin/bash"


def _bash_reads(path) -> dict[str, str]:
    """The variables that `set -a; . file; set +a` adds to a clean shell's environment."""
    script = 'env -0 > "$1.before"; set -a; . "$2" || exit 1; set +a; env -0 > "$1.after"'
    out = path.parent / "out"
    done = subprocess.run(
        [BASH, "-c", script, "bash", str(out), str(path)],
        env={},
        check=True,
        timeout=30,
        capture_output=True,
    )
    assert done.stderr == b"", done.stderr.decode()  # no complaint on the way
    return _env_diff(out)


def _env_diff(out) -> dict[str, str]:
    def read(suffix: str) -> dict[str, str]:
        data = (out.parent / f"{out.name}.{suffix}").read_bytes().decode()
        return dict(item.split("=", 1) for item in data.split("\0") if item)

    before, after = read("before"), read("after")
    shell_own = {"SHLVL", "_", "PWD", "OLDPWD"}
    return {
        name: value
        for name, value in after.items()
        if before.get(name) != value and name not in shell_own
    }


def test_the_example_reads_the_same_in_bash_and_systemd(tmp_path):
    copy = tmp_path / "env"
    shutil.copy(EXAMPLE, copy)
    by_systemd = parse_environment_file(EXAMPLE.read_text())
    assert by_systemd["KRING_EMAIL_FROM"] == "Kring <kring@example.org>"
    assert by_systemd["KRING_ORGANISATION"] == "Eigen Kracht Centrale"
    assert _bash_reads(copy) == by_systemd


def test_the_quoting_rules_in_its_header_hold_for_awkward_values(tmp_path):
    path = tmp_path / "env"
    path.write_text(AWKWARD)
    by_systemd = parse_environment_file(AWKWARD)
    assert by_systemd["KRING_EMAIL_PASSWORD"] == 'p$ss`word"with\\backslash'
    assert by_systemd["KRING_EMPTY"] == ""
    assert _bash_reads(path) == by_systemd


def test_an_unquoted_value_with_angle_brackets_is_what_a_shell_cannot_read(tmp_path):
    """Issue 7, finding 3: the old example's line; systemd takes it, a shell does not."""
    path = tmp_path / "env"
    path.write_text("KRING_EMAIL_FROM=Kring <kring@example.org>\n")
    assert parse_environment_file(path.read_text()) == {
        "KRING_EMAIL_FROM": "Kring <kring@example.org>"
    }
    with pytest.raises(subprocess.CalledProcessError):
        _bash_reads(path)


def test_with_env_loads_the_file_and_runs_the_command(tmp_path):
    out = tmp_path / "out"
    script = 'env -0 > "$1.before"; "$2" sh -c "env -0 > \\"$1.after\\""'
    subprocess.run(
        [BASH, "-c", script, "bash", str(out), str(DEPLOY / "with-env")],
        env={"KRING_ENV_FILE": str(EXAMPLE), "PATH": os.defpath},
        check=True,
        timeout=30,
    )
    assert _env_diff(out) == parse_environment_file(EXAMPLE.read_text())


def test_the_environment_in_the_deployment_guide_is_the_shipped_example():
    """Every assignment in the guide's environment block(s) is a line of the example file."""
    guide = (ROOT / "docs" / "deployment.md").read_text()
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", guide, re.S) if "KRING_EMAIL_FROM=" in b]
    assert blocks, "docs/deployment.md shows no environment file"
    example_lines = set(EXAMPLE.read_text().splitlines())
    for block in blocks:
        for line in block.splitlines():
            if re.match(r"[A-Z_]+=", line):
                assert line in example_lines, (
                    f"docs/deployment.md: {line!r} is not in deploy/kring.env.example; "
                    "the guide shows the shipped file: change both"
                )
