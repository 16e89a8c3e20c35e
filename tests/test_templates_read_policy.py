"""No template decides an action's availability by itself (issue 6, point 7): every link or form
that leads to an action that changes a case stands inside an `{% if %}` that reads the action's
policy (`may.<action>`, `p.may.<action>`), which the view fills from the app's policy.py.

The actions are found from the URL resolver: every view of cases, circle, portal, scheduling and
the conference that takes a POST, apart from the few listed below with their reason."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import kring

ROOT = Path(kring.__file__).parent
APPS = (
    "cases",
    "circle",
    "portal",
    "scheduling",
    "conference",
    "signing",
    "followup",
    "research",
    "privacy",
)
# Views that take a POST but are no case action whose availability a template could decide.
NOT_ACTIONS = {
    "portal:enter": "exchanges a personal link for a session (GET only)",
    "portal:code": "exchanges a letter code for a session, as portal:enter does a link",
    "portal:leave": "ends the participant's own session",
    # The list of offers holds only the open offers of this coordinator (cases.access).
    "cases:offer": "reached from the list of the coordinator's own open offers",
    # The date poll's page is read (GET) by the case's coordinator; its own forms (propose a
    # date, open the poll) read the policy inside it. The links to it are "back to the dates".
    "scheduling:poll": "the poll's page, whose forms read the policy themselves",
    # The participant's signing page (issue 11): its forms read the policy per place to sign;
    # the decline page links back to it.
    "signing:portal_sign": "the signing page, whose forms read the policy themselves",
    # The public check of a signed plan (issue 11, point 5): anyone may use it; it changes
    # nothing and names no one.
    "signing:verify": "the public verification page, open to everyone",
}
# A tag, or in a Jinja2 page template (ADR 0020) a {{ url('app:name', ...) }}, read as a url tag.
# Jinja2's whitespace control ({%- ... -%}) is read as the plain tag.
TAG = re.compile(r"{%-?\s*(\w+)(.*?)-?%}|{{-?\s*(url)\((.*?)\)\s*-?}}", re.S)
URL = re.compile(r"""url(?:\s+|\(\s*)['"]([\w:]+)['"]""")


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
        tag, rest = match.group(1) or match.group(3), match.group(2) or match.group(4)
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
        yield from sorted((ROOT / app / "jinja2").rglob("*.html"))


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


def test_the_check_reads_a_jinja2_page_template():
    text = """{% if may.stop %}<a href="{{ url('cases:stop', case.pk) }}">x</a>{% endif %}
    <a href="{{ url('cases:decline', case.pk) }}">y</a>"""
    found = list(_action_links(text, {"cases:stop", "cases:decline"}))
    assert found == [("cases:stop", [" may.stop "]), ("cases:decline", [])]


def test_the_check_reads_jinja2_whitespace_control():
    text = """{%- if may.stop -%}<a href="{{- url('cases:stop', case.pk) -}}">x</a>{%- endif %}
    <a href="{{ url('cases:decline', case.pk) }}">y</a>"""
    found = list(_action_links(text, {"cases:stop", "cases:decline"}))
    assert found == [("cases:stop", [" may.stop "]), ("cases:decline", [])]


# --- links made from a list: the circle page's task list (issue 8, point 11) ------------------------
# circle/steps.py holds the ordered list of a person's actions; the template prints
# `{{ step.url }}`. These prove that such a link still reads the policy: the list names only
# actions, every action on a person is in it, a step gets a URL only when its option allows it,
# and the template prints the URL only inside `{% if step.may %}`.

NODE = re.compile(r"{%\s*(\w+)(.*?)%}|{{\s*(\w+)\.url\s*}}", re.S)


def _generated_links(text: str):
    """(variable, the conditions around it) for every `{{ <variable>.url }}` in a template."""
    stack: list[str] = []
    for match in NODE.finditer(text):
        tag, rest, variable = match.groups()
        if variable:
            yield variable, list(stack)
        elif tag == "if":
            stack.append(rest)
        elif tag == "elif" and stack:
            stack[-1] = rest
        elif tag == "else" and stack:
            stack[-1] = f"not ({stack[-1]})"
        elif tag == "endif" and stack:
            stack.pop()


@pytest.mark.parametrize("template", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_generated_link_in_the_template_reads_the_policy(template):
    problems = [
        f"{variable}.url (inside: {' / '.join(c.strip() for c in conditions) or 'no if'})"
        for variable, conditions in _generated_links(template.read_text())
        if not any(
            re.search(rf"\b{variable}\.may\b", c) and not c.startswith("not (") for c in conditions
        )
    ]
    assert not problems, f"generated links not guarded by the policy: {problems}"


def test_the_check_finds_an_unguarded_generated_link():
    text = """<a href="{{ step.url }}">x</a>{% if step.may %}{{ step.url }}{% else %}{{ step.url }}{% endif %}"""
    guarded = [
        any(re.search(r"\bstep\.may\b", c) and not c.startswith("not (") for c in conds)
        for _v, conds in _generated_links(text)
    ]
    assert guarded == [False, True, False]


def test_the_task_list_names_only_actions_and_every_action_on_a_person():
    from kring.circle.steps import STEPS  # noqa: PLC0415

    actions = _views_that_take_a_post()
    on_a_person = set()

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif namespace == "circle" and "participant_id" in str(entry.pattern):
                on_a_person.add(f"circle:{entry.name}")

    walk(get_resolver())
    listed = {step.url_name for step in STEPS}
    assert listed <= actions, f"steps that are no action: {listed - actions}"
    assert on_a_person & actions <= listed, (
        f"actions missing from circle.steps.STEPS: {on_a_person & actions - listed}"
    )


def test_a_step_gets_a_link_only_when_its_policy_allows_it():
    from types import SimpleNamespace  # noqa: PLC0415

    from kring.circle.steps import STEPS, steps_of  # noqa: PLC0415
    from kring.core.policy import deny, options, rule  # noqa: PLC0415

    case = SimpleNamespace(pk=1)
    allowed = SimpleNamespace(
        pk=2, name="Daan", may=options(**dict.fromkeys((s.action for s in STEPS), None))
    )
    not_yet = SimpleNamespace(
        pk=3,
        name="Sanne",
        may=options(**{s.action: rule("order_of_the_method", "First Daan") for s in STEPS}),
    )
    never = SimpleNamespace(
        pk=4, name="Joost", may=options(**{s.action: deny("not_coordinator", "No") for s in STEPS})
    )

    shown = steps_of(case, allowed)
    assert {s.action for s in shown.now + shown.secondary} == {s.action for s in STEPS}
    assert all(s.url for s in shown.now + shown.secondary)
    waiting = steps_of(case, not_yet)
    assert not waiting.now and not waiting.secondary
    assert waiting.later and all(not s.url and s.reason == "First Daan" for s in waiting.later)
    assert not steps_of(case, never)
