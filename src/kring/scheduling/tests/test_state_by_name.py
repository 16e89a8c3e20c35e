"""A meeting's state is compared with `Meeting.Status`, never with the string it is stored as
(review of issue 9, in issue 10: the calendar file and the case page's letters panel compared
with "cancelled"). A template gets a yes or no from its panel function instead."""

import ast
import re
from pathlib import Path

from kring.scheduling.models import Meeting

APP = Path(__file__).resolve().parents[1]
STATES = set(Meeting.Status.values)


def _sources(pattern: str) -> list[Path]:
    return [
        path
        for path in sorted(APP.rglob(pattern))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _states_in(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and node.value in STATES:
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_states_in(item) for item in node.elts))
    return set()


def _is_status(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "status") or (
        isinstance(node, ast.Name) and node.id == "status"
    )


def test_no_code_compares_a_meetings_state_with_a_string():
    found = []
    for path in _sources("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if any(_is_status(side) for side in sides) and any(_states_in(s) for s in sides):
                found.append(f"{path.relative_to(APP)}:{node.lineno}")
    assert found == []


def test_no_template_compares_a_state_with_a_string():
    compared = re.compile(r"""status\s*(==|!=|in)\s*["']""")
    found = [
        f"{path.relative_to(APP)}:{number}"
        for pattern in ("*.html", "*.txt")
        for path in _sources(pattern)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compared.search(line)
    ]
    assert found == []
