"""The access log reads like the rest of Kring (issue 8, point 10): every kind of row has a name
in the reader's language, roles and dates as elsewhere, the case reference links to the case
where the manager may open it, refused attempts are marked, and the log filters by person and
by case, with input it does not expect answered by a message, never a 500."""

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import kring
from kring.audit import chain, labels
from kring.audit.actors import SYSTEM, Actor
from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.audit.views import kind_label
from kring.cases import actions as case_actions
from kring.cases import registry
from kring.testing.factories import ReferralFactory

SOURCE = Path(kring.__file__).parent
LOG = reverse("audit:log")
KIND = re.compile(r"^[a-z]+\.[a-z_]+[a-z]$")
# Dotted literals with a kind's first word that are not the kind of a row.
# Kinds of a notice for the coordinator (circle.notices), not rows of the log.
NOT_KINDS = {"circle.question", "circle.accepted_after_all"}
# The calls whose first argument is the kind of an audit row.
RECORDING = {"record", "log_event", "_record_for_teams"}


def _kinds_in_the_code() -> set[str]:
    """Every kind the code may write: the literals it passes to record() and log_event(), and
    every other dotted literal with the same first word ("account.locked" in a conditional,
    admin_audit's constants) that is not the name of an e-mail (notifications' templates) or
    the key of an item in a person's export (cases.registry.ExportItem)."""
    literals, passed, export_keys = set(), set(), set()
    for path in SOURCE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        try:
            tree = ast.parse(path.read_text())
        except SyntaxError:  # a template's stand-in that makemessages leaves for a moment
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if KIND.match(node.value):
                    literals.add(node.value)
            elif isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                args = node.args[1:2] if name == "log_event" else node.args[:1]
                for arg in args:
                    if name in RECORDING and isinstance(arg, ast.Constant):
                        passed.add(arg.value)
                if name == "ExportItem" and isinstance(node.args[0], ast.Constant):
                    export_keys.add(node.args[0].value)  # a key of a person's export
    heads = {kind.partition(".")[0] for kind in passed | set(labels.registered())}
    kinds = set(passed)
    for literal in literals - passed:
        if literal in export_keys:
            continue
        if literal.partition(".")[0] in heads and literal not in NOT_KINDS | _mails(literal):
            kinds.add(literal)
    return kinds


def _mails(kind: str) -> set[str]:
    """{kind} if it names an e-mail (notifications.mail.queue_mail), else nothing."""
    try:
        get_template(f"mail/{kind}.subject.txt")
    except TemplateDoesNotExist:
        return set()
    return {kind}


def test_the_scan_finds_the_kinds_it_should():
    """The scan below is only as good as what it finds: a kind from each way of writing one."""
    kinds = _kinds_in_the_code()
    for kind in (
        "case.viewed",  # record("...") in a view
        "case.access_refused",  # a constant in kring.audit.labels
        "account.locked",  # record("...") in accounts
        "account.added",  # admin_audit's constant
        "circle.acknowledged",  # a conditional kind passed to log_event
        "case.taken_on",  # a lifecycle move's event
        "portal.entered",
    ):
        assert kind in kinds
    assert "circle.invitation" not in kinds  # an e-mail, not a row of the log
    assert "conference.attendance" not in kinds  # a key of a person's export, not a row


def test_every_kind_in_the_code_has_a_label():
    unlabelled = sorted(
        kind
        for kind in _kinds_in_the_code()
        if labels.label(kind) is None and registry.event_label(kind) == kind
    )
    assert unlabelled == [], (
        "add a label with kring.audit.labels.add_labels() in the app's AppConfig.ready() "
        "(or a timeline label with kring.cases.registry.add_event_labels())"
    )


def test_a_kind_nobody_labelled_still_reads_as_words():
    assert labels.readable("case.offer_viewed") == "Case: offer viewed"
    assert kind_label("scheduling.poll_closed") == "Scheduling: poll closed"
    assert kind_label("case.viewed") == "Read the case page"  # registered for the log
    assert kind_label("case.taken_on") == "Taken on by the office"  # the timeline's label


# --- the page, in Dutch -----------------------------------------------------------------------


def _dutch(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client


def _at(event, when):
    """Rows are append-only (a trigger refuses UPDATE): a row at a chosen moment is a new one."""
    values = {name: getattr(event, name) for name in chain.FIELDS if name != "seq"}
    return chain.append({**values, "at": when})


def test_the_log_reads_in_dutch_with_roles_names_and_dates(
    as_user, mira, carla, olaf, preparing_case, daan
):
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 27 November in Amsterdam
    _at(record("case.viewed", actor=carla, case=preparing_case, obj=preparing_case), late)
    record("portal.viewed", actor=Actor.in_portal(daan), case=preparing_case, obj=daan)
    record("case.stopped", actor=SYSTEM, case=preparing_case, obj=preparing_case)
    as_user(olaf).get(reverse("cases:detail", args=[preparing_case.pk]))  # Olaf: not his case

    html = _dutch(as_user(mira)).get(LOG).content.decode()

    assert "Zaakpagina ingezien" in html
    assert "Carla" in html and "(coördinator)" in html
    assert '<time datetime="2026-11-27T00:30:00+01:00">27 november 2026, 00:30</time>' in html
    assert "Eigen persoonlijke pagina ingezien" in html
    assert "Daan de Boer" in html and "(deelnemer, persoonlijke pagina)" in html
    assert "Kring (automatisch)" in html
    assert "Geweigerd</strong> Probeerde een zaak te openen zonder toegang" in html
    assert "Logboek ingezien" not in html  # this read is written after the page
    # No codes: the kinds are in the filter's options only, never on a row.
    rows = html[html.index("<tbody>") :]
    assert "case.viewed" not in rows and "portal.viewed" not in rows


def test_a_participant_acting_for_a_minor_is_named_as_guardian(
    as_user, mira, preparing_case, daan, sanne
):
    # Without a case the reader may open, no names: only that a participant acted.
    record(
        "circle.consented",
        actor=Actor.in_portal(daan, for_participant=sanne),
        team_id=mira.team_id,
    )
    html = as_user(mira).get(LOG).content.decode()
    assert "Daan de Boer" not in html and "a participant" in html
    record(
        "circle.consented",
        actor=Actor.in_portal(daan, for_participant=sanne),
        case=preparing_case,
    )
    html = as_user(mira).get(LOG).content.decode()
    assert "Daan de Boer (parent or guardian), for Sanne" in html


def test_refused_attempts_are_marked_in_words(as_user, mira, carla, olaf, carlas_case):
    as_user(olaf).get(reverse("cases:detail", args=[carlas_case.pk]))
    record("account.second_factor_failed", actor=carla, obj=carla)
    record("account.second_factor", actor=carla, obj=carla)
    html = as_user(mira).get(LOG).content.decode()
    assert html.count('<strong class="tag stopped">Refused</strong>') == 2
    html = as_user(mira).get(LOG + "?action=refused").content.decode()
    assert "Tried to open a case without access" in html and "Wrong code from the app" in html
    assert "Signed in with a code from the app" not in html


# --- the link to the case ---------------------------------------------------------------------


def test_the_reference_links_to_a_case_the_manager_may_open(as_user, mira, carla, carlas_case):
    as_user(carla).get(reverse("cases:detail", args=[carlas_case.pk]))
    html = as_user(mira).get(LOG).content.decode()
    url = reverse("cases:detail", args=[carlas_case.pk])
    assert f'<a href="{url}">{carlas_case.reference}</a>' in html
    assert as_user(mira).get(url).status_code == 200


def test_a_case_the_manager_may_not_open_is_plain_text(as_user, mira, carla, requested_case):
    """Carla tried a request still in the office's inbox (no team yet): the row is her team's,
    but the case is not the manager's to open, so the log names it without a link."""
    assert as_user(carla).get(reverse("cases:detail", args=[requested_case.pk])).status_code == 404
    html = as_user(mira).get(LOG).content.decode()
    url = reverse("cases:detail", args=[requested_case.pk])
    assert requested_case.reference in html
    assert url not in html
    assert as_user(mira).get(url).status_code == 404


@pytest.mark.parametrize("who", ["carla", "bram", "ruud", "admin_user"])
def test_no_one_but_the_manager_reads_the_log(as_user, who, request, mira, carla, carlas_case):
    as_user(carla).get(reverse("cases:detail", args=[carlas_case.pk]))
    response = as_user(request.getfixturevalue(who)).get(LOG)
    assert response.status_code == 403
    assert carlas_case.reference not in response.content.decode()


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def second_case(carla, bram):
    case = case_actions.open_case(ReferralFactory())
    case = case_actions.take_on(case, by=bram)
    case_actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    offer = case.assignments.get(coordinator=carla, status="offered")
    return case_actions.accept_assignment(offer, declares_independence=True, by=carla)


@pytest.fixture
def reads(as_user, carla, olaf, carlas_case, second_case):
    """Carla read both her cases; Olaf tried the first."""
    client = as_user(carla)
    for case in (carlas_case, second_case):
        client.get(reverse("cases:detail", args=[case.pk]))
    as_user(olaf).get(reverse("cases:detail", args=[carlas_case.pk]))


def _rows(html):
    return html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""


def test_filter_by_person(as_user, mira, carla, olaf, reads, carlas_case, second_case):
    rows = _rows(as_user(mira).get(LOG, {"actor": olaf.pk}).content.decode())
    assert "Olaf" in rows and "Carla" not in rows
    assert "Tried to open a case without access" in rows
    rows = _rows(as_user(mira).get(LOG, {"actor": carla.pk}).content.decode())
    assert "Olaf" not in rows and second_case.reference in rows


def test_filter_by_case(as_user, mira, reads, carlas_case, second_case):
    rows = _rows(as_user(mira).get(LOG, {"reference": second_case.reference}).content.decode())
    assert second_case.reference in rows and carlas_case.reference not in rows
    # As read out over the phone: lower case, spaces, no dashes.
    spoken = second_case.reference.lower().replace("-", " ")
    rows = _rows(as_user(mira).get(LOG, {"reference": spoken}).content.decode())
    assert second_case.reference in rows and carlas_case.reference not in rows


def test_filter_by_person_and_case(as_user, mira, olaf, reads, carlas_case, second_case):
    query = {"actor": olaf.pk, "reference": second_case.reference}
    html = as_user(mira).get(LOG, query).content.decode()
    assert _rows(html) == "" and "No entries match." in html
    query = {"actor": olaf.pk, "reference": carlas_case.reference}
    rows = _rows(as_user(mira).get(LOG, query).content.decode())
    assert "Olaf" in rows and carlas_case.reference in rows


def test_another_teams_person_in_the_log_can_be_chosen(as_user, mira, admin_user, carlas_case):
    """Whoever the team's log names can be chosen, also from outside the team (Ada, the
    administrator, tried a case); people of other teams who never appear in it cannot."""
    as_user(admin_user).get(reverse("cases:detail", args=[carlas_case.pk]))
    html = as_user(mira).get(LOG, {"actor": admin_user.pk}).content.decode()
    assert "error-summary" not in html and "Ada" in _rows(html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"reference": "K-12"}, "This is not a case reference."),
        ({"reference": "x" * 10_000}, "This is not a case reference."),
        ({"reference": "'; DROP TABLE audit_auditevent; --"}, "This is not a case reference."),
        ({"actor": "carla"}, "Choose a person from the list."),
        ({"actor": "99999999999999999999999"}, "Choose a person from the list."),
        ({"actor": "-1"}, "Choose a person from the list."),
        ({"action": "case.everything"}, "Choose what to show from the list."),
        # Outside kring.core.dates.FIRST_DAY and LAST_DAY (issue 14, finding 3).
        ({"date_from": "0001-01-01"}, "Enter a date between 1990 and 2100"),
        ({"date_to": "9999-12-31"}, "Enter a date between 1990 and 2100"),
        ({"date_from": "1989-12-31"}, "Enter a date between 1990 and 2100"),
        ({"date_to": "2101-01-01"}, "Enter a date between 1990 and 2100"),
        ({"date_from": "yesterday"}, "Enter a date, for example 2026-11-26."),
    ],
)
def test_input_the_form_does_not_expect_gets_a_message(as_user, mira, reads, query, message):
    response = as_user(mira).get(LOG, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and message in html
    assert _rows(html) == ""  # nothing shown for a filter that was not understood


@pytest.mark.parametrize("number", ["-1", "0", "abc", "99999999999999999999", "1e9"])
def test_any_page_number_gives_a_page(as_user, mira, reads, number):
    response = as_user(mira).get(LOG, {"page": number})
    assert response.status_code == 200
    assert "Tried to open a case without access" in response.content.decode()


def test_filters_stay_in_the_page_links(as_user, mira, carla, carlas_case):
    for _ in range(51):
        record("case.viewed", actor=carla, case=carlas_case, obj=carlas_case)
    html = as_user(mira).get(LOG, {"actor": carla.pk, "action": "case.viewed"}).content.decode()
    assert f"?actor={carla.pk}&amp;action=case.viewed&amp;page=2" in html
    html = (
        as_user(mira)
        .get(LOG, {"actor": carla.pk, "action": "case.viewed", "page": 2})
        .content.decode()
    )
    assert _rows(html).count("Read the case page") == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    as_user,
    mira,
    carla,
    olaf,
    admin_user,
    preparing_case,
    daan,
    sanne,
    django_assert_max_num_queries,
):
    def a_bit_of_everything():
        record("case.viewed", actor=carla, case=preparing_case, obj=preparing_case)
        record("portal.viewed", actor=Actor.in_portal(daan), case=preparing_case, obj=daan)
        guardian = Actor.in_portal(daan, for_participant=sanne)
        record("circle.consented", actor=guardian, case=preparing_case, obj=sanne)
        record("case.stopped", actor=SYSTEM, case=preparing_case)
        record("account.second_factor_failed", actor=carla, obj=carla)
        record("case.access_refused", actor=olaf, case=preparing_case, obj=preparing_case)
        record("account.changed", actor=admin_user, obj=carla, data={"user": carla.pk})

    client = as_user(mira)
    a_bit_of_everything()
    few = _queries(client, LOG)
    for _ in range(7):
        a_bit_of_everything()
    assert AuditEvent.objects.filter(team_id=mira.team_id).count() > 50
    with django_assert_max_num_queries(few):
        client.get(LOG)
    with django_assert_max_num_queries(few):
        client.get(LOG + f"?actor={carla.pk}&reference={preparing_case.reference}")
