"""Reading the shipped files in deploy/ the way systemd reads them (for the tests)."""

import re
import signal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/srv/kring"  # where the units expect Kring (docs/deployment.md, "Install")


def read_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values in order]}} (systemd allows repeated keys;
    comments start with # or ;, a trailing backslash continues a line)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    text = re.sub(r"\\\n", " ", (DEPLOY / name).read_text())
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        if current is None or not sep or not key.strip().isidentifier():
            raise ValueError(f"{name}:{number}: not a key=value line in a section: {raw!r}")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def service(name: str, key: str) -> str:
    """The last value of `key` in the [Service] section (the one systemd uses)."""
    return read_unit(name)["Service"][key][-1]


def stop_signal(name: str) -> signal.Signals:
    """The signal systemd sends to stop the unit: KillSignal=, SIGTERM when unset."""
    values = read_unit(name)["Service"].get("KillSignal", ["SIGTERM"])
    return signal.Signals[values[-1]]


NEWLINE = "\n\r"


def parse_environment_file(text: str) -> dict[str, str]:
    """The variables of an environment file as systemd's EnvironmentFile= reads them: a port
    of the state machine in systemd's src/basic/env-file.c (parse_env_file_internal, used by
    load_env_file; no variable is expanded).

    In short: # or ; at the start of a line begins a comment; whitespace around the name and
    before the value is dropped, trailing whitespace of an unquoted value too. A quote opens
    only at the start of a value or right after a closing quote ('a' "b" is ab); '...' is
    literal, in "..." a backslash before one of " \\ ` $ gives that character and is kept
    before any other; outside quotes a backslash gives the next character; a backslash before
    a newline joins the lines. A quoted value may span lines."""
    result: dict[str, str] = {}
    state = "pre_key"
    key: list[str] = []
    value: list[str] = []
    trailing = -1  # where the unquoted value's trailing whitespace begins, -1: none

    def push() -> None:
        name = "".join(key).rstrip()
        text = "".join(value[:trailing] if state == "value" and trailing >= 0 else value)
        result[name] = text

    for char in text:
        if state == "pre_key":
            if char in "#;":
                state = "comment"
            elif not char.isspace():
                state, key, value = "key", [char], []
        elif state == "key":
            if char in NEWLINE:
                state = "pre_key"  # a line without "=" is ignored
            elif char == "=":
                state, trailing = "pre_value", -1
            else:
                key.append(char)
        elif state in ("pre_value", "value"):
            if char in NEWLINE:
                push()
                state = "pre_key"
            elif char == "\\":
                state, trailing = "value_escape", -1
            elif state == "pre_value" and char == "'":
                state = "single"
            elif state == "pre_value" and char == '"':
                state = "double"
            elif state == "pre_value" and char.isspace():
                pass
            else:
                if not char.isspace():
                    trailing = -1
                elif trailing == -1:
                    trailing = len(value)
                state = "value"
                value.append(char)
        elif state == "value_escape":
            state = "value"
            if char not in NEWLINE:
                value.append(char)
        elif state == "single":
            if char == "'":
                state = "pre_value"
            else:
                value.append(char)
        elif state == "double":
            if char == '"':
                state = "pre_value"
            elif char == "\\":
                state = "double_escape"
            else:
                value.append(char)
        elif state == "double_escape":
            state = "double"
            if char in '"\\`$':
                value.append(char)
            elif char != "\n":
                value += ["\\", char]
        elif state == "comment":
            if char == "\\":
                state = "comment_escape"
            elif char in NEWLINE:
                state = "pre_key"
        elif state == "comment_escape":
            state = "pre_key" if char in NEWLINE else "comment"
    if state not in ("pre_key", "key", "comment", "comment_escape"):
        push()
    return result
