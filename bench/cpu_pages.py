"""The child of bench/cpu.py: Kring's pages called through Django's WSGI handler in this process,
as gunicorn calls it, timed in CPU per request (issue 15, point 1).

    DJANGO_SETTINGS_MODULE=bench.settings_bench KRING_DATABASE_URL=... \
        .venv/bin/python -m bench.cpu_pages --facts facts.json --out cpu.json

bench/cpu.py runs it with the benchmark's production settings (bench.run.kring_env) against a
database that bench/generate.py filled. It finds the pages' objects in the generated data
(carla's cases in every state) and adds what the generator leaves out with Kring's own actions:
a date poll with answers, a begun plan, a personal link, a researcher. Every identity signs in
as the login pages leave it (kring.demo.generate.signed_in_session) or, for the portal, by
opening the personal link through the handler; the request form's CSRF cookie and token come
from a GET, as a browser gets them.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode
from wsgiref.util import FileWrapper

HOST, PORT = "127.0.0.1", "8000"
ORIGIN = f"http://{HOST}:{PORT}"
# What a browser sends besides the cookie (wrk in bench/run.py sends only Host and Cookie).
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl-NL,nl;q=0.9,en;q=0.8",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
}

# (key, label, group): the order of a round. "bare" is the reference of every ratio; "daily"
# are the pages staff use every day (issue 15, point 1), "stage" the new pages of each stage.
PAGES = [
    ("bare", "Bare view, anonymous", "bare"),
    ("bare_signed_in", "Bare view, signed in", "bare"),
    ("my_cases", "Mijn zaken", "daily"),
    ("case", "Case page", "daily"),
    ("circle", "Circle page", "daily"),
    ("inbox", "Inbox (office)", "daily"),
    ("team_cases", "Team list (manager)", "daily"),
    ("access_log", "Access log (manager)", "daily"),
    ("request_form", "Request form (GET)", "daily"),
    ("request_form_invalid", "Request form (invalid POST)", "daily"),
    ("portal_home", "Portal home", "daily"),
    ("poll", "Poll grid", "stage"),
    ("conference_mode", "Conference mode", "stage"),
    ("plan", "Plan", "stage"),
    ("signing", "Signing page", "stage"),
    ("tracker", "Agreement tracker", "stage"),
    ("figures", "Figures (researcher)", "stage"),
]
KEYS = [key for key, _label, _group in PAGES]


# --- WSGI -----------------------------------------------------------------------------------


def environ_for(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> dict:
    """A WSGI environ as gunicorn's sync worker builds it (gunicorn.http.wsgi.create) for a
    request on 127.0.0.1:8000: every header as HTTP_* (Host too), Content-Type and -Length
    without the prefix, the body as wsgi.input."""
    environ = {
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
        "wsgi.input_terminated": True,
        "SERVER_SOFTWARE": "gunicorn",
        "wsgi.input": io.BytesIO(body),
        "REQUEST_METHOD": method,
        "QUERY_STRING": query,
        "RAW_URI": path + ("?" + query if query else ""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "54321",
        "SERVER_NAME": HOST,
        "SERVER_PORT": PORT,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
    }
    all_headers = {"Host": f"{HOST}:{PORT}", **(headers or {})}
    if body or method == "POST":
        all_headers["Content-Length"] = str(len(body))
    for name, value in all_headers.items():
        upper = name.upper()
        if upper == "CONTENT-TYPE":
            environ["CONTENT_TYPE"] = value
        elif upper == "CONTENT-LENGTH":
            environ["CONTENT_LENGTH"] = value
        else:
            environ["HTTP_" + upper.replace("-", "_")] = value
    return environ


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                jar.load(v)
        return {name: morsel.value for name, morsel in jar.items()}


def call(app, environ: dict) -> Answer:
    """One request as a server makes it: call the application, iterate the body, close it."""
    started: list = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, headers]
        return lambda _data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Answer(int(started[0].split()[0]), started[1], body)


# --- the pages ------------------------------------------------------------------------------


@dataclass
class Page:
    key: str
    path: str
    needle: str  # content a user expects on the page: a login page never has it
    method: str = "GET"
    cookies: dict[str, str] = field(default_factory=dict)
    query: str = ""
    body: bytes = b""
    extra_headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    who: str = "anonymous"
    label: str = ""
    group: str = ""

    def __post_init__(self):
        self.label, self.group = next((lb, g) for k, lb, g in PAGES if k == self.key)

    def environ(self) -> dict:
        headers = dict(BROWSER_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(self.extra_headers)
        return environ_for(
            self.method, self.path, query=self.query, headers=headers, body=self.body
        )

    def url(self) -> str:
        return self.path + ("?" + self.query if self.query else "")


class FormFields(HTMLParser):
    """The fields a browser would send from the form that holds `marker` (an input's name):
    hidden inputs with their values, every other input, select and textarea empty."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker
        self.forms: list[list[tuple[str, str]]] = []
        self.current: list[tuple[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "checkbox", "radio", "file", "image"):
                return
            value = a.get("value") or "" if kind == "hidden" else ""
            self.current.append((a["name"], value))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None

    def fields(self) -> list[tuple[str, str]]:
        for form in self.forms:
            if any(name == self.marker for name, _v in form):
                return form
        raise LookupError(f"no form with a field {self.marker!r}")


def prepare(app, facts: dict) -> list[Page]:
    """The measured pages with their identities, their objects found in the generated data or
    added with Kring's own actions."""
    from datetime import time as clock

    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from kring.accounts.models import Role, User
    from kring.cases.models import Case
    from kring.circle import actions as circle_actions
    from kring.circle import policy as circle_policy
    from kring.conference import editing
    from kring.conference import queries as conference_queries
    from kring.demo.generate import signed_in_session
    from kring.scheduling import policy as scheduling_policy
    from kring.scheduling import poll
    from kring.scheduling.models import Availability, Venue

    session = settings.SESSION_COOKIE_NAME
    carla = User.objects.get(pk=facts["carla"])
    as_carla = {session: facts["session_key"]}
    office = User.objects.filter(team=carla.team_id, role=Role.OFFICE).order_by("pk").first()
    manager = User.objects.filter(team=carla.team_id, role=Role.MANAGER).order_by("pk").first()
    if office is None or manager is None:
        raise SystemExit("cpu_pages: carla's team has no office user or no manager")
    # The generator writes no researcher: one as the administrator would add her (no team).
    researcher = User.objects.filter(role=Role.RESEARCHER).order_by("pk").first()
    if researcher is None:
        researcher = User.objects.create_user(
            "bench-researcher", role=Role.RESEARCHER, first_name="Ruud", last_name="Onderzoek"
        )
    mine = Case.objects.filter(coordinator=carla).order_by("pk")

    # The poll grid: the preparing case with the most people taking part, a poll with three
    # dates and everyone's answers (told by phone, entered by carla), as scheduling.poll does.
    preparing = list(mine.filter(state="preparing"))
    preparing.sort(key=lambda c: (-scheduling_policy.taking_part(c).count(), c.pk))
    if not preparing:
        raise SystemExit("cpu_pages: carla has no case being prepared")
    poll_case = preparing[0]
    meeting = scheduling_policy.open_meeting(poll_case)
    if meeting is None:
        meeting = poll.open_poll(poll_case, by=carla)
        venue = Venue.objects.filter(team=poll_case.team_id).order_by("pk").first()
        day = timezone.localdate() + timedelta(days=10)
        for k in range(3):
            poll.add_option(
                meeting,
                starts_at=poll.local(day + timedelta(days=k), clock(19)),
                ends_at=poll.local(day + timedelta(days=k), clock(21, 30)),
                venue=venue,
                by=carla,
            )
        values = list(Availability.values)
        options = list(meeting.options.order_by("pk"))
        for n, person in enumerate(scheduling_policy.taking_part(poll_case).order_by("pk")):
            answers = {o.pk: values[(n + i) % len(values)] for i, o in enumerate(options)}
            poll.answer(person, answers, by=carla)

    # The circle page: the other preparing case with the most people.
    others = sorted(preparing[1:], key=lambda c: (-c.participants.count(), c.pk))
    circle_case = others[0] if others else poll_case

    # The plan: begun in a case whose conference was held, with ideas and agreements by
    # people present (conference.editing); conference mode in the same case.
    held = mine.filter(state="conference_held").first()
    if held is None:
        raise SystemExit("cpu_pages: carla has no case whose conference was held")
    conference = conference_queries.current_conference(held)
    if conference is None:
        raise SystemExit(f"cpu_pages: case {held.pk} has no conference")
    if conference_queries.plan_of(conference) is None:
        plan = editing.begin_plan(conference, by=carla)
        present = list(conference_queries.present_participants(conference).order_by("pk"))
        for i, text in enumerate(("Excuses in een brief", "Samen de schade herstellen")):
            editing.add_idea(plan, text=text, brought_in_by=present[i % len(present)], by=carla)
        for i, what in enumerate(
            ("Betaalt de schade terug in drie delen", "Biedt excuses aan in een brief",
             "Helpt twee zaterdagen bij de sportclub", "Stuurt geen berichten meer")
        ):  # fmt: skip
            editing.add_agreement(
                plan,
                what=what,
                who=present[i % len(present)],
                by_when=timezone.localdate() + timedelta(days=30 * (i + 1)),
                how_checked="De coördinator belt na een maand",
                by=carla,
            )

    # Signing and the agreement tracker: carla's case in follow-up with the most agreements.
    following = list(mine.filter(state="following_up"))
    if not following:
        raise SystemExit("cpu_pages: carla has no case in follow-up")
    followed = _most_agreements(following)

    # The portal: a participant of the poll's case who takes part, with a new personal link
    # (circle.actions.reissue_link), opened through the handler as the browser would.
    person = next(
        (
            p
            for p in scheduling_policy.taking_part(poll_case).order_by("pk")
            if circle_policy.may_reissue_link(carla, p) is None
        ),
        None,
    )
    if person is None:
        raise SystemExit(f"cpu_pages: nobody in case {poll_case.pk} may get a new personal link")
    issued = circle_actions.reissue_link(person, by=carla)
    entered = call(app, environ_for("GET", reverse("portal:enter", args=[issued.token]),
                                    headers=BROWSER_HEADERS))  # fmt: skip
    portal_cookies = entered.cookies()
    if entered.status not in (302, 303) or session not in portal_cookies:
        raise SystemExit(f"cpu_pages: the personal link answered {entered.status}, no session")

    # The request form: the CSRF cookie and the form's token from a GET, then a POST of the
    # form as a browser sends it with nothing filled in (every required field missing).
    form_path = reverse("referrals:new")
    got = call(app, environ_for("GET", form_path, headers=BROWSER_HEADERS))
    csrf = got.cookies()
    if settings.CSRF_COOKIE_NAME not in csrf:
        raise SystemExit(f"cpu_pages: the request form set no {settings.CSRF_COOKIE_NAME} cookie")
    parser = FormFields("requester_name")
    parser.feed(got.text)
    posted = urlencode(parser.fields()).encode()

    as_office = {session: signed_in_session(office)}
    as_manager = {session: signed_in_session(manager)}
    as_researcher = {session: signed_in_session(researcher)}
    measured = Case.objects.get(pk=facts["measured_case"])
    carla_name = carla.get_full_name()
    pages = [
        Page("bare", reverse("bench-bare"), "ok"),
        Page("bare_signed_in", reverse("bench-bare"), "ok", cookies=as_carla, who="carla"),
        Page("my_cases", reverse("cases:my_cases"), measured.reference,
             cookies=as_carla, who="carla"),
        Page("case", reverse("cases:detail", args=[measured.pk]), measured.reference,
             cookies=as_carla, who="carla"),
        Page("circle", reverse("circle:overview", args=[circle_case.pk]),
             circle_case.reference, cookies=as_carla, who="carla"),
        Page("inbox", reverse("cases:inbox"), 'href="/kantoor/aanmeldingen/',
             cookies=as_office, who=office.username),
        # The team's cases: with a million cases carla's need not be on the first page.
        Page("team_cases", reverse("cases:team_cases"), '<table class="responsive">',
             cookies=as_manager, who=manager.username),
        Page("access_log", reverse("audit:log"), carla_name,
             cookies=as_manager, who=manager.username),
        Page("request_form", form_path, 'name="requester_name"'),
        Page("request_form_invalid", form_path, "error-summary", method="POST",
             cookies=csrf, body=posted, extra_headers={
                 "Content-Type": "application/x-www-form-urlencoded",
                 "Origin": ORIGIN, "Referer": ORIGIN + form_path}),
        Page("portal_home", reverse("portal:home"), carla.first_name,
             cookies=portal_cookies, who=f"participant {person.pk}"),
        Page("poll", reverse("scheduling:poll", args=[poll_case.pk]),
             poll_case.reference, cookies=as_carla, who="carla"),
        Page("conference_mode", reverse("conference:mode", args=[held.pk]),
             held.reference, cookies=as_carla, who="carla"),
        # The case's reference: the generator may already have begun this case's plan.
        Page("plan", reverse("conference:plan", args=[held.pk]),
             held.reference, cookies=as_carla, who="carla"),
        Page("signing", reverse("signing:overview", args=[followed.pk]),
             followed.reference, cookies=as_carla, who="carla"),
        Page("tracker", reverse("followup:tracker", args=[followed.pk]),
             followed.reference, cookies=as_carla, who="carla"),
        Page("figures", reverse("research:home"), "<table",
             cookies=as_researcher, who=researcher.username),
    ]  # fmt: skip
    return pages


def _most_agreements(cases):
    from kring.followup.models import TrackedAgreement

    return max(cases, key=lambda c: (TrackedAgreement.objects.filter(case=c).count(), -c.pk))


# --- checks, counts, measurements ----------------------------------------------------------------


def verify(app, pages: list[Page], when: str) -> None:
    """Every page answers its status with its needle; a redirect to the login page, a 403 or a
    404 must never pass for a fast page."""
    for page in pages:
        got = call(app, page.environ())
        if got.status != page.status or page.needle not in got.text:
            where = got.header("Location")
            raise SystemExit(
                f"cpu_pages: {when}: {page.method} {page.url()} ({page.who}) answered "
                f"{got.status}{' → ' + where if where else ''} without {page.needle!r}: "
                "not measuring that"
            )


def described(page: Page) -> dict:
    """What an HTTP client sends for `page`, and what it must get back (bench/run.py)."""
    headers = dict(page.extra_headers)
    if page.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    return {
        "key": page.key,
        "label": page.label,
        "group": page.group,
        "who": page.who,
        "method": page.method,
        "path": page.url(),
        "headers": headers,
        "body": page.body.decode(),
        "status": page.status,
        "needle": page.needle,
    }


def count_queries(app, page: Page) -> int:
    """The queries of one request of `page` (outside the timed requests)."""
    from django.db import connection

    queries = 0

    def counting(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # The handler closes a connection past its age at the end of a request; counting through
    # execute_wrapper needs the connection that the request will use to exist first.
    connection.ensure_connection()
    with connection.execute_wrapper(counting):
        call(app, page.environ())
    return queries


def timed(app, page: Page, n: int) -> tuple[list[float], list[float]]:
    """CPU and wall milliseconds of `n` requests; the environ is built before the clock starts,
    the body consumed and closed as a server does."""
    cpu, wall = [], []
    clock, perf = time.thread_time, time.perf_counter
    started: list[str] = []

    def start_response(status, headers, exc_info=None):
        started.append(status)
        return _ignore

    expected = str(page.status)
    for _ in range(n):
        environ = page.environ()
        started.clear()
        c0, w0 = clock(), perf()
        result = app(environ, start_response)
        for _chunk in result:
            pass
        result.close()
        c1, w1 = clock(), perf()
        cpu.append((c1 - c0) * 1000)
        wall.append((w1 - w0) * 1000)
        if not started or not started[0].startswith(expected):
            raise SystemExit(f"cpu_pages: {page.url()} answered {started} while measured")
    return cpu, wall


def _ignore(_data: bytes) -> None:
    """The write() callable of start_response; Django never calls it."""


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def measure(app, pages: list[Page], *, rounds: int, requests: int, warmup: int) -> dict:
    results: dict = {p.key: {"rounds": []} for p in pages}
    if warmup:
        for page in pages:
            timed(app, page, warmup)
        print(f"  warm-up: {warmup} requests per URL", flush=True)
    for number in range(1, rounds + 1):
        bare_median = None
        for page in pages:
            queries = count_queries(app, page)
            cpu, wall = timed(app, page, requests)
            r = {
                "median_ms": statistics.median(cpu),
                "p90_ms": p90(cpu),
                "mean_ms": statistics.fmean(cpu),
                "wall_median_ms": statistics.median(wall),
                "queries": queries,
            }
            if page.key == "bare":
                bare_median = r["median_ms"]
            r["ratio"] = r["median_ms"] / bare_median
            results[page.key]["rounds"].append(r)
            print(
                f"  round {number}: {page.label:<28} {r['median_ms']:7.3f} ms CPU median  "
                f"p90 {r['p90_ms']:7.3f}  {r['ratio']:6.1f}× bare  {queries:3d} queries",
                flush=True,
            )
    for page in pages:
        rs = results[page.key]["rounds"]
        counts = sorted({r["queries"] for r in rs})
        results[page.key].update(
            label=page.label,
            group=page.group,
            method=page.method,
            path=page.url(),
            who=page.who,
            median_ms=statistics.median(r["median_ms"] for r in rs),
            p90_ms=statistics.median(r["p90_ms"] for r in rs),
            wall_median_ms=statistics.median(r["wall_median_ms"] for r in rs),
            ratio=statistics.median(r["ratio"] for r in rs),
            queries=counts[-1],
            queries_seen=counts,
        )
    return results


# --- profile ---------------------------------------------------------------------------------

# Where a function's own time goes, by the file it is defined in: the first prefix that matches.
GROUPS = [
    ("template rendering", ("django/template/", "jinja2/", "django/templatetags/",
                            "template_partials/", "/templatetags/", "django/forms/renderers")),
    ("forms", ("django/forms/",)),
    ("session", ("django/contrib/sessions/", "kring/accounts/sessions")),
    ("auth and second factor", ("django/contrib/auth/", "django_otp/", "kring/accounts/")),
    ("audit", ("kring/audit/",)),
    ("ORM", ("django/db/",)),  # Django's database backends too
    ("database driver", ("sqlite3", "psycopg")),
    ("middleware and handler", ("django/middleware/", "django/core/handlers/", "whitenoise/",
                                "django_htmx/", "kring/core/middleware", "kring/portal/csrf",
                                "django/contrib/messages/")),
    ("URLs", ("django/urls/",)),
    ("translation", ("django/utils/translation/", "gettext")),
    ("Kring (views, policy, queries)", ("kring/",)),
    ("Django helpers", ("django/utils/", "asgiref/")),
    ("Django, other", ("django/",)),
]  # fmt: skip


# Entry points whose cumulative time says what a piece of work costs, wherever its code lives.
ENTRY_POINTS = [
    ("templates (render_to_string)", "django/template/loader.py", "render_to_string"),
    ("Jinja2 templates (Template.render)", "jinja2/environment.py", "render"),
    ("ORM: querysets evaluated (_fetch_all)", "django/db/models/query.py", "_fetch_all"),
    ("ORM: SQL built and run (execute_sql)", "django/db/models/sql/compiler.py", "execute_sql"),
    ("database calls (cursor execute)", "django/db/backends/utils.py", "_execute"),
    ("session read (SessionStore.load)", "django/contrib/sessions/backends/db.py", "load"),
    ("session write (SessionStore.save)", "django/contrib/sessions/backends/db.py", "save"),
    ("user and device (signed_in._read_user)", "kring/accounts/signed_in.py", "_read_user"),
    ("audit row (audit.log.record)", "kring/audit/log.py", "record"),
    ("translation (gettext)", "django/utils/translation/trans_real.py", "gettext"),
    ("URL reversing (reverse)", "django/urls/base.py", "reverse"),
]

# Helpers that belong to whoever calls them: their own time goes to their callers' groups.
HELPERS = ("Python built-ins", "Python, other", "Django helpers")


def group_of(filename: str, function: str = "") -> str:
    name = filename.replace("\\", "/")
    if "sqlite3" in function or "psycopg" in function:
        return "database driver"  # the driver's C methods (~:0(<method 'execute' ...>))
    for group, prefixes in GROUPS:
        if any(p in name for p in prefixes):
            return group
    if name.startswith("~") or name == "":
        return "Python built-ins"
    return "Python, other"


def own_time_by_group(stats: pstats.Stats) -> dict[str, float]:
    """Each function's own time in its group; a helper's (a built-in, the standard library,
    django.utils, asgiref) shared among its callers' groups in proportion to the time it spent
    for each, followed up a few calls."""
    table = stats.stats  # type: ignore[attr-defined]
    memo: dict = {}

    def shares(func, depth: int) -> dict[str, float]:
        if func in memo:
            return memo[func]
        group = group_of(func[0], func[2])
        callers = table[func][4] if func in table else {}
        if group not in HELPERS or depth > 6 or not callers:
            result = {group: 1.0}
        else:
            memo[func] = {group: 1.0}  # a cycle ends here
            weights = {caller: v[2] or v[1] for caller, v in callers.items()}
            total = sum(weights.values()) or 1.0
            result = {}
            for caller, weight in weights.items():
                for g, share in shares(caller, depth + 1).items():
                    result[g] = result.get(g, 0.0) + share * weight / total
        memo[func] = result
        return result

    groups: dict[str, float] = {}
    for func, (_cc, _nc, tt, _ct, _callers) in table.items():
        for g, share in shares(func, 0).items():
            groups[g] = groups.get(g, 0.0) + tt * share
    return groups


def profile(app, page: Page, n: int, *, top: int = 25) -> dict:
    """cProfile over `n` requests of `page`: own time per group, and the top functions by
    cumulative and by own time."""
    timed(app, page, min(n, 50))  # warm
    profiler = cProfile.Profile(time.thread_time)
    gc.collect()
    profiler.enable()
    for _ in range(n):
        call(app, page.environ())
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())  # type: ignore[attr-defined]
    groups = own_time_by_group(stats)
    rows = []
    for (filename, line, func), (_cc, calls, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        group = group_of(filename, func)
        where = _short(filename)
        rows.append({"function": f"{where}:{line}({func})", "group": group, "calls": calls / n,
                     "own_ms": tt * 1000 / n, "cumulative_ms": ct * 1000 / n})  # fmt: skip
    entry_points = []
    for label, file_suffix, name in ENTRY_POINTS:
        found = [
            v for (f, _l, fn), v in stats.stats.items()  # type: ignore[attr-defined]
            if fn == name and f.replace("\\", "/").endswith(file_suffix)
        ]  # fmt: skip
        if found:
            entry_points.append({"what": label, "calls": sum(v[1] for v in found) / n,
                                 "cumulative_ms": sum(v[3] for v in found) * 1000 / n,
                                 "share": sum(v[3] for v in found) / total})  # fmt: skip
    by_cumulative = sorted(rows, key=lambda r: -r["cumulative_ms"])[:top]
    by_own = sorted(rows, key=lambda r: -r["own_ms"])[:top]
    return {
        "key": page.key,
        "label": page.label,
        "requests": n,
        "ms_per_request": total * 1000 / n,
        "groups": sorted(
            ({"group": g, "ms": t * 1000 / n, "share": t / total} for g, t in groups.items()),
            key=lambda r: -r["ms"],
        ),
        "entry_points": entry_points,
        "by_cumulative": by_cumulative,
        "by_own": by_own,
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def profile_text(p: dict) -> str:
    lines = [
        f"Profile of {p['label']} ({p['key']}): {p['requests']} requests, "
        f"{p['ms_per_request']:.2f} ms CPU per request under cProfile (the profiler's own cost "
        "inflates every figure; compare shares, not milliseconds, with the measurements)",
        "",
        "Own time by group (a helper's time, such as a built-in's, goes to its callers):",
    ]
    lines += [f"  {g['group']:<34} {g['ms']:8.3f} ms  {g['share']:6.1%}" for g in p["groups"]]
    lines += ["", "Cumulative time of some entry points (they overlap: a query inside a template):"]
    lines += [
        f"  {e['what']:<40} {e['cumulative_ms']:8.3f} ms  {e['share']:6.1%}  {e['calls']:6.1f}×"
        for e in p.get("entry_points", [])
    ]
    for title, key, rows in (
        ("Top functions by cumulative time", "cumulative_ms", p["by_cumulative"]),
        ("Top functions by own time", "own_ms", p["by_own"]),
    ):
        lines += ["", f"{title} (ms per request, calls per request):"]
        lines += [
            f"  {r[key]:8.3f} ms {r['calls']:8.1f}×  [{r['group']}] {r['function']}" for r in rows
        ]
    return "\n".join(lines) + "\n"


# --- main ----------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", required=True, help="bench/generate.py's facts (JSON)")
    parser.add_argument("--out", required=True, help="write the results here (JSON)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--only", nargs="+", choices=KEYS, help="these pages (and the bare view)")
    parser.add_argument("--profile", nargs="+", choices=[*KEYS, "all"], default=[])
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument(
        "--describe",
        action="store_true",
        help="measure nothing: prepare and check the pages, and write what a client must send "
        "for each (bench/run.py measures them with wrk)",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from kring.wsgi import application  # Django's WSGI handler, as gunicorn loads it

    with open(args.facts, encoding="utf-8") as fh:
        facts = json.load(fh)
    print("  preparing the pages' objects and identities", flush=True)
    pages = prepare(application, facts)
    if args.only:
        pages = [p for p in pages if p.key in ("bare", *args.only)]
    verify(application, pages, "before measuring")
    print(f"  {len(pages)} URLs answer as expected", flush=True)
    out: dict = {"pages": {}, "profiles": []}
    if args.describe:
        out = {"origin": ORIGIN, "pages": [described(page) for page in pages]}
    elif args.profile:
        wanted = KEYS if "all" in args.profile else args.profile
        for page in pages:
            if page.key in wanted:
                p = profile(application, page, args.profile_requests)
                out["profiles"].append(p)
                print(profile_text(p), flush=True)
    else:
        out["pages"] = measure(
            application, pages, rounds=args.rounds, requests=args.requests, warmup=args.warmup
        )
    verify(application, pages, "after measuring")
    print("  the URLs still answer as expected", flush=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
