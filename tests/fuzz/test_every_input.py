"""Every input has bounds (issue 14, point 5): every form and every filter of every page, fed
with arbitrary text, dates, numbers and sizes by hypothesis, as each role that may open it.

The URLs, the objects that fill them and the roles that may open them come from the
authorization matrix (tests/authz/test_matrix.py, read only: its table, its world and its way
of signing in), so a URL added to the matrix is fuzzed here without a word of this file changing.
For each URL the test opens the page as each allowed role and reads its forms (tests/fuzz/
inputs.py): the filters (a form with method GET, and the query strings of the page's links to
itself) and the fields of each form that posts to it, hidden fields and file inputs included.
A URL that takes only a POST has its form on another page of the same object: those pages are
read too, and the matrix's own payload (Row.refused_post, Row.data) names the fields as well.

Then hypothesis sends what a careless or hostile visitor might: each field drawn from
inputs.value_for (or left out, or sent twice), and a few query parameters nobody asked for.
- Never a 500: the client does not raise (raise_request_exception=False), so a 500 is an answer
  like any other, and fails the test with the request that caused it.
- When the answer is an error (4xx, a form shown again with its errors, or an error message),
  nothing changed: every table's row count and a checksum of its content are the same, except
  the tables in RECORDS_OF_READS, which record that something was asked, not what it did.
- A GET changes nothing either, whatever its filters say.

Each example runs in a savepoint that is rolled back, so the world stays as the matrix made it,
and one world serves every example of a URL. The budget is KRING_FUZZ_EXAMPLES examples per URL
(default 10, spread over its roles, at least 2 each), deterministic (derandomize) and without a
.hypothesis folder (tests/fuzz/conftest.py). Deeper: KRING_FUZZ_EXAMPLES=200 pytest tests/fuzz.
"""

import hashlib
import os
import sys
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.authz.test_matrix import (
    CHECKS,
    ROLES,
    Pattern,
    Row,
    login_as,
    skip_if_not_built,
    url_for,
)
from tests.fuzz.inputs import TEXT, Field, Upload, forms_on, uploads, value_for

from kring.accounts.models import LoginThrottle
from kring.audit.models import AuditEvent, ChainCheck
from kring.core.models import RateLimitHit

EXAMPLES = int(os.environ.get("KRING_FUZZ_EXAMPLES", "10"))

# Tables whose rows record that something was asked, not a change of what Kring holds: a
# refused or invalid request may write them. Everything else must stay as it was.
RECORDS_OF_READS = {
    AuditEvent._meta.db_table: "the audit log records every read, and every refused attempt",
    ChainCheck._meta.db_table: "a walk of the audit chain, which the access log may start",
    Session._meta.db_table: "a session: signed in, a personal link opened, a language chosen",
    LoginThrottle._meta.db_table: "failed sign-ins are counted, to slow an attacker down",
    RateLimitHit._meta.db_table: "the rate limits count requests, answered or not",
    ContentType._meta.db_table: "Django makes these on first use, not a visitor",
    Permission._meta.db_table: "Django makes these on first use, not a visitor",
}

# Pages whose GET writes by design, each with the reason: for them a GET is held to the rule
# for errors only (a refused or invalid GET changes nothing).
WRITES_ON_GET = {
    "portal:enter": "opening a personal link records that it was used (and when)",
    "signing:portal_document": "a participant's download of the signed plan is its delivery",
}

# Query parameters that no form on the page names, sent now and then: a view must not trust
# what it did not ask for.
STRAY_PARAMETERS = ["page", "next", "week", "q", "team", "state", "sort", "date_from", "date_to"]


# --- what to fuzz: every URL of the matrix with the roles that may open it ------------------


@dataclass(frozen=True)
class Target:
    pattern: Pattern
    row: Row
    roles: tuple[str, ...]
    label: str

    def __str__(self) -> str:
        return self.label


def _targets() -> list[Target]:
    targets: dict[str, Target] = {}
    for check in CHECKS:
        if check.row is None or not check.row.allowed or check.label in targets:
            continue
        roles = tuple(role for role in ROLES if role in check.row.allowed)
        targets[check.label] = Target(check.pattern, check.row, roles, check.label)
    return list(targets.values())


TARGETS = _targets()


# --- the state that must not change ---------------------------------------------------------


def _cell(value) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    return repr(value)


def snapshot() -> dict[str, tuple[int, str]]:
    """Per table (every table in the database, Kring's and Django's): its row count and a
    checksum of its content, in an order that does not depend on how the database returns it."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in RECORDS_OF_READS:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted("|".join(_cell(v) for v in row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass"))
            state[table] = (len(rows), digest.hexdigest())
    return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(
        table for table in before.keys() | after.keys() if before.get(table) != after.get(table)
    )


# --- what an answer means -------------------------------------------------------------------

ERROR_MARKERS = ("data-error-summary", 'class="field-error"', "errorlist", "errornote")


def refusal(response) -> str | None:
    """Why `response` is an error (so nothing may have changed), or None when it was accepted."""
    if response.status_code >= 400:
        return f"status {response.status_code}"
    for context in response.context or []:
        values = context.flatten() if hasattr(context, "flatten") else context
        for value in values.values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and value.errors:
                return f"{type(value).__name__} has errors"
    if not getattr(response, "streaming", False):
        body = response.content.decode(errors="replace")
        for marker in ERROR_MARKERS:
            if marker in body:
                return f"the page shows {marker}"
    levels = [m.level for m in get_messages(response.wsgi_request)]
    if any(level >= message_levels.WARNING for level in levels):
        return "an error message"
    return None


# --- the inputs of a URL, read from its pages -----------------------------------------------


@dataclass
class Inputs:
    """The ways into one URL as one role: its filters, and the forms that post to it."""

    path: str
    filters: dict[str, Field]
    posts: list[dict[str, Field]]  # one per form that posts here (with its own fields)
    baseline: dict  # a payload that works (the matrix's), or what the form filled in
    takes_get: bool
    upload_limits: set[int]


def _resolves_to(action: str, page: str, pattern: Pattern) -> bool:
    target = urlsplit(action).path or urlsplit(page).path
    try:
        return resolve(target).func is pattern.leaf.callback
    except Resolver404:
        return False


def _host_paths(target: Target, role: str, world) -> list[str]:
    """Pages of the same object that the role may open: where a POST-only URL's form sits."""
    paths = []
    for check in CHECKS:
        row = check.row
        if row is None or row.post_only or role not in row.allowed or row.method != "GET":
            continue
        if check.pattern.namespace not in (target.pattern.namespace, "cases", "portal"):
            continue
        if row.obj != target.row.obj or (role == "participant" and row.portal != target.row.portal):
            continue
        if check.role != role or check.pattern.key == target.pattern.key:
            continue
        paths.append(url_for(check.pattern, row, world))
    return paths[:8]


def _upload_limits(pattern: Pattern) -> set[int]:
    """The MAX_BYTES of the view's app (a file upload's limit), to send one byte more."""
    app = pattern.leaf.callback.__module__.rsplit(".", 1)[0]
    return {
        module.MAX_BYTES
        for name, module in list(sys.modules.items())
        if name.startswith(app + ".") and isinstance(getattr(module, "MAX_BYTES", None), int)
    }


def read_inputs(client: Client, target: Target, role: str, world) -> Inputs:
    row, pattern = target.row, target.pattern
    path = url_for(pattern, row, world)
    filters: dict[str, Field] = {}
    posts: list[dict[str, Field]] = []
    pages = [] if row.post_only else [path]
    pages += _host_paths(target, role, world) if (row.post_only or row.method == "POST") else []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        content_type = response.get("Content-Type", "")
        if "html" not in content_type:
            continue
        forms, links = forms_on(response.content.decode(errors="replace"))
        for form in forms:
            if not _resolves_to(form.action, page, pattern):
                continue
            if form.method == "GET":
                filters.update(form.fields)
            else:
                posts.append(form.fields)
        for link in links:
            parts = urlsplit(link)
            if parts.query and _resolves_to(link, page, pattern):
                for name, value in parse_qsl(parts.query, keep_blank_values=True):
                    filters.setdefault(name, Field(name, "text", value))
    baseline: dict = {}
    for source in (row.refused_post, row.data):
        if source is not None:
            baseline.update(source(world))
    if not posts and (row.post_only or row.method == "POST" or row.refused_post is not None):
        posts.append({})  # its form is on no page this role opens: the matrix's payload names it
    for fields in posts:
        for name in baseline:
            fields.setdefault(name, Field(name, "text", str(baseline[name])))
    return Inputs(
        path=path,
        filters=filters,
        posts=posts,
        baseline=baseline,
        takes_get=not row.post_only,
        upload_limits=_upload_limits(pattern),
    )


# --- one request, drawn ----------------------------------------------------------------------

MISSING = object()


@st.composite
def fields_drawn(draw, fields: dict[str, Field], baseline: dict, limits: set[int]) -> dict:
    """A value for each field: fuzzed, kept as the working payload has it, left out, or sent
    twice; and now and then a field nobody asked for."""
    data: dict = {}
    for name, item in fields.items():
        if item.kind == "file":
            how = draw(st.sampled_from(["upload", "upload", "missing", "text"]))
            if how == "upload":
                data[name] = draw(uploads(limits))
            elif how == "text":
                data[name] = draw(TEXT)
            continue
        how = draw(st.sampled_from(["fuzz", "fuzz", "keep", "missing", "twice"]))
        if how == "keep":
            data[name] = baseline.get(name, item.value)
        elif how == "fuzz":
            data[name] = draw(value_for(item, name))
        elif how == "twice":
            data[name] = [draw(value_for(item, name)), draw(value_for(item, name))]
    if draw(st.booleans()):
        stray = draw(st.sampled_from(STRAY_PARAMETERS))
        data.setdefault(stray, draw(value_for(None, stray)))
    return data


class Request:
    """One request drawn; not a dataclass, so that hypothesis shows it by its short repr."""

    def __init__(self, method: str, data: dict):
        self.method = method
        self.data = data

    def send(self, client: Client, path: str):
        if self.method == "GET":
            query = urlencode(
                {k: v for k, v in self.data.items() if not isinstance(v, Upload)}, doseq=True
            )
            return client.get(f"{path}?{query}" if query else path)
        body = {k: (v.build() if isinstance(v, Upload) else v) for k, v in self.data.items()}
        return client.post(path, body)

    def __repr__(self) -> str:
        def short(value):
            text = repr(value)
            return text if len(text) <= 120 else f"{text[:100]}... ({len(text)} characters)"

        shown = {k: short(v) for k, v in self.data.items()}
        return f"{self.method} {shown}"


def requests_for(inputs: Inputs) -> st.SearchStrategy[Request]:
    ways = []
    if inputs.takes_get:
        ways.append(
            fields_drawn(inputs.filters, {}, inputs.upload_limits).map(
                lambda data: Request("GET", data)
            )
        )
    for fields in inputs.posts:
        ways.append(
            fields_drawn(fields, inputs.baseline, inputs.upload_limits).map(
                lambda data: Request("POST", data)
            )
        )
    return st.one_of(ways) if ways else st.nothing()


# --- the test --------------------------------------------------------------------------------


def _restore(client: Client, cookies: SimpleCookie) -> None:
    client.cookies = SimpleCookie()
    client.cookies.load(cookies.output(header="", sep=";"))
    for key, morsel in cookies.items():
        client.cookies[key] = morsel.value


def fuzz(
    client: Client,
    inputs: Inputs,
    examples: int,
    label: str,
    *,
    get_writes: bool,
    phases: tuple[Phase, ...] = tuple(Phase),
) -> None:
    cookies = SimpleCookie()
    for key, morsel in client.cookies.items():
        cookies[key] = morsel.value

    @settings(
        max_examples=examples,
        phases=phases,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests_for(inputs))
    def one(request: Request) -> None:
        _restore(client, cookies)
        with transaction.atomic():
            before = snapshot()
            response = request.send(client, inputs.path)
            assert response.status_code < 500, (
                f"{label}: {request!r} answered {response.status_code}"
            )
            why = refusal(response)
            after = snapshot()
            if why is not None:
                tables = changed(before, after)
                assert not tables, (
                    f"{label}: {request!r} was an error ({why}), yet changed {tables}"
                )
            elif request.method == "GET" and not get_writes:
                tables = changed(before, after)
                assert not tables, f"{label}: {request!r} changed {tables}"
            transaction.set_rollback(True)

    one()


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_every_input_has_bounds(target, world):
    """No input of this URL, as any role that may open it, gives a 500; and an input that is
    refused changes nothing."""
    skip_if_not_built(target.pattern)
    url_for(target.pattern, target.row, world)  # the world's objects, made before any savepoint
    per_role = max(2, -(-EXAMPLES // len(target.roles)))
    for role in target.roles:
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        login_as(client, world, role, target.row)
        inputs = read_inputs(client, target, role, world)
        label = f"{target.label} as {role}"
        fuzz(client, inputs, per_role, label, get_writes=target.pattern.key in WRITES_ON_GET)


def test_the_harness_finds_the_forms_and_filters(world):
    """The harness reads real inputs: the access log's date filters and the circle's "add a
    person" form, with their fields, so that the fuzz above is not fuzzing nothing."""
    by_label = {t.label: t for t in TARGETS}
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    login_as(client, world, "manager")
    log = read_inputs(client, by_label["audit:log"], "manager", world)
    assert {"date_from", "date_to"} <= log.filters.keys()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    login_as(client, world, "coordinator")
    add = read_inputs(client, by_label["circle:add"], "coordinator", world)
    assert any({"name", "side"} <= fields.keys() for fields in add.posts)
    post_only = read_inputs(client, by_label["conference:idea_add"], "coordinator", world)
    assert any("text" in fields for fields in post_only.posts)


def test_the_snapshot_sees_a_change(world):
    """The comparison would fail on a change: a renamed team shows in its table."""
    before = snapshot()
    with transaction.atomic():
        team = world.obj("team")
        type(team).objects.filter(pk=team.pk).update(name="Team Anders")
        assert changed(before, snapshot()) == [type(team)._meta.db_table]
        transaction.set_rollback(True)
    assert changed(before, snapshot()) == []


def test_every_url_of_the_matrix_is_fuzzed():
    """Every URL that someone may open is a target here (they come from the matrix)."""
    allowed = {c.label for c in CHECKS if c.row is not None and c.row.allowed}
    assert allowed == {t.label for t in TARGETS}
    assert "referrals:new" in allowed and "circle:add" in allowed


QUICK = (Phase.explicit, Phase.generate)  # no shrinking: only that it fails matters here


@pytest.mark.urls("tests.fuzz.broken_urls")
def test_the_fuzz_catches_a_500(db):
    """A view that crashes on some input fails the fuzz, with the request that crashed it."""
    client = Client(raise_request_exception=False)
    inputs = Inputs("/crashes/", {"page": Field("page", "number")}, [], {}, True, set())
    with pytest.raises(AssertionError, match="answered 500"):
        fuzz(client, inputs, 20, "crashes", get_writes=False, phases=QUICK)


@pytest.mark.urls("tests.fuzz.broken_urls")
def test_the_fuzz_catches_a_refusal_that_changed_something(db):
    """A view that answers with an error after it stored something fails the fuzz."""
    client = Client(raise_request_exception=False)
    inputs = Inputs(
        "/refuses-after-writing/", {}, [{"name": Field("name", "text")}], {}, False, set()
    )
    with pytest.raises(AssertionError, match=r"was an error \(status 400\), yet changed"):
        fuzz(client, inputs, 20, "refuses after writing", get_writes=False, phases=QUICK)
