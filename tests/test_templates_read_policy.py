"""No template decides an action's availability by itself (issue 6, point 7): every link or form
that leads to an action that changes a case stands inside an `{% if %}` that reads the action's
policy (`may.<action>`, `p.may.<action>`), which the view fills from the app's policy.py.

The actions are found from the URL resolver: every view of cases, circle and portal that takes
a POST, apart from the few listed below with their reason."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import kring

ROOT = Path(kring.__file__).parent
APPS = ("cases", "circle", "portal")
# Views that take a POST but are no case action whose availability a template could decide.
NOT_ACTIONS = {
    "portal:enter": "exchanges a personal link for a session (GET only)",
    "portal:leave": "ends the participant's own session",
    # The list of offers holds only the open offers of this coordinator (cases.access).
    "cases:offer": "reached from the list of the coordinator's own open offers",
}
TAG = re.compile(r"{%\s*(\w+)(.*?)%}", re.S)
URL = re.compile(r"""url\s+['"]([\w:]+)['"]""")


def _methods(view) -> set[str]:
    """The HTTP methods a view allows, read from require_http_methods/require_POST/require_safe
    around it (their closures hold the list); empty when none says."""
    found: set[str] = set()
    while view is not None:
        for cell in view.__closure__ or ():
            value = cell.cell_contents
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                found |= set(value)
        view = getattr(view, "__wrapped__", None)
    return found


def _views_that_take_a_post() -> set[str]:
    names = set()

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry, ns)
            elif (
                isinstance(entry, URLPattern)
                and namespace in APPS
                and entry.name
                and "POST" in _methods(entry.callback)
            ):
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver())
    return {n for n in names if n not in NOT_ACTIONS}


def _action_links(text: str, actions: set[str]):
    """(action, the conditions of the {% if %} blocks around it) for every {% url %} of an
    action in a template."""
    stack: list[str] = []
    for match in TAG.finditer(text):
        tag, rest = match.group(1), match.group(2)
        if tag == "if":
            stack.append(rest)
        elif tag == "elif" and stack:
            stack[-1] = rest
        elif tag == "else" and stack:
            stack[-1] = f"not ({stack[-1]})"
        elif tag == "endif" and stack:
            stack.pop()
        elif tag == "url":
            name = URL.search(match.group(0))
            if name and name.group(1) in actions:
                yield name.group(1), list(stack)


def _templates():
    for app in APPS:
        yield from sorted((ROOT / app / "templates").rglob("*.html"))


def test_the_check_knows_the_actions():
    actions = _views_that_take_a_post()
    assert {"cases:stop", "cases:hand_back", "circle:reissue", "portal:withdraw"} <= actions


@pytest.mark.parametrize("template", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_action_link_in_the_template_reads_the_policy(template):
    actions = _views_that_take_a_post()
    problems = [
        f"{name} (inside: {' / '.join(c.strip() for c in conditions) or 'no if'})"
        for name, conditions in _action_links(template.read_text(), actions)
        if not any(re.search(r"\bmay\.\w+", c) and not c.startswith("not (") for c in conditions)
    ]
    assert not problems, f"links to actions not guarded by the policy: {problems}"


def test_the_check_finds_an_unguarded_link():
    text = """{% if p.status == "invited" %}<a href="{% url 'circle:invite' 1 2 %}">x</a>{% endif %}
    {% if p.may.invite %}{% url 'circle:invite' 1 2 %}{% else %}{% url 'circle:respond' 1 2 %}{% endif %}"""
    found = list(_action_links(text, {"circle:invite", "circle:respond"}))
    guarded = [any("may." in c and not c.startswith("not (") for c in conds) for _n, conds in found]
    assert guarded == [False, True, False]
