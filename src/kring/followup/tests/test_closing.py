"""Closing a case after follow-up (issue 12, point 5; R15): the coordinator closes the case with
an outcome and a short note; the retention date follows the outcome (KRING_RETENTION_YEARS,
docs/data-retention.md); the case becomes read-only; the functions a later stage added with
`add_on_closed` run once, after commit. The timeline says the outcome, never the note."""

import re
from datetime import date

import pytest
from django.utils import timezone

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.conference import editing, versions
from kring.conference.models import Agreement, Plan
from kring.core.policy import NotAllowed, Refused
from kring.followup import actions, closing
from kring.followup.models import AgreementState, Closure, Contact, Outcome, Report
from kring.signing import policy as signing_policy
from kring.signing.tests.pages import dutch, text

pytestmark = pytest.mark.django_db

NOTE = "Daan en Sanne spraken elkaar nog eens bij Joost thuis."


def url(case) -> str:
    from django.urls import reverse

    return reverse("followup:close", args=[case.pk])


def case_page(case) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[case.pk])


def main(page) -> str:
    """The page's own content (the layout has forms of its own: the language, signing out)."""
    html = page.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def two_years_from_today() -> date:
    return closing.retention_date(Outcome.ALL_KEPT, timezone.localdate())


def unchanged(case) -> None:
    """Nothing of a close was written: the case follows up, without a closure or its event."""
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP
    assert not Closure.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind="case.closed").exists()


def open_report(tracked, participant, kind=Report.Kind.NOT_KEPT) -> Report:
    return Report.objects.create(
        case=tracked.case,
        tracked=tracked,
        participant=participant,
        kind=kind,
        text="Het gebeurt niet zoals afgesproken.",
        made_at=timezone.now(),
    )


@pytest.fixture
def hook_calls():
    """A later stage's hook (the research stage's questionnaires): records its calls."""
    calls: list = []

    def questionnaires(case, closure) -> None:
        calls.append((case.pk, closure.pk, case.state))

    closing.add_on_closed(questionnaires)
    yield calls
    closing._on_closed.remove(questionnaires)


# --- the action ----------------------------------------------------------------------------------


def test_closing_records_the_outcome_and_until_when_the_case_is_kept(following_up, carla):
    closure = closing.close(following_up, by=carla, outcome=Outcome.PARTLY_KEPT, note=NOTE)

    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED
    assert closure.outcome == Outcome.PARTLY_KEPT
    assert closure.note == NOTE
    assert closure.closed_by == carla
    assert closure.retain_until == two_years_from_today()
    event = CaseEvent.objects.get(case=following_up, kind="case.closed")
    assert event.data == {"outcome": "partly_kept"}
    assert (event.from_state, event.to_state) == (State.FOLLOWING_UP, State.CLOSED)
    # The note stays on the closure: never in the timeline or the audit log.
    audit = AuditEvent.objects.filter(
        case=following_up, action__in=["case.closed", "followup.closure_made"]
    )
    assert audit.count() == 2
    assert all("Joost" not in str(row.data) for row in audit)
    made = audit.get(action="followup.closure_made")
    assert made.data == {"outcome": "partly_kept", "retain_until": closure.retain_until.isoformat()}


def test_an_open_contact_is_left_as_it_is(following_up, carla):
    contact = Contact.objects.get(case=following_up)
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    contact.refresh_from_db()
    assert contact.done_at is None


@pytest.mark.parametrize(
    ("outcome", "years", "on", "until"),
    [
        (Outcome.ALL_KEPT, 2, date(2027, 3, 1), date(2029, 3, 1)),
        (Outcome.NOT_KEPT, 5, date(2027, 3, 1), date(2032, 3, 1)),
        # 29 February becomes 28 February in a year without it.
        (Outcome.OTHER, 1, date(2028, 2, 29), date(2029, 2, 28)),
        (Outcome.PARTLY_KEPT, 4, date(2028, 2, 29), date(2032, 2, 29)),
    ],
)
def test_the_retention_date_follows_the_outcome(settings, outcome, years, on, until):
    settings.KRING_RETENTION_YEARS = {**settings.KRING_RETENTION_YEARS, outcome: years}
    assert closing.retention_date(outcome, on) == until


def test_a_longer_period_for_one_outcome_sets_that_cases_date(following_up, carla, settings):
    settings.KRING_RETENTION_YEARS = {**settings.KRING_RETENTION_YEARS, "not_kept": 7}
    closure = closing.close(following_up, by=carla, outcome=Outcome.NOT_KEPT)
    today = timezone.localdate()
    assert closure.retain_until == today.replace(year=today.year + 7) or (
        today.month == 2 and today.day == 29
    )


def test_the_hooks_run_once_after_commit(
    following_up, carla, hook_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closure = closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
        # Not before the commit: a later stage never acts on a close that could still roll back.
        assert hook_calls == []
    assert hook_calls == [(following_up.pk, closure.pk, State.CLOSED)]


def test_a_refused_close_runs_no_hook(
    following_up, carla, mira, hook_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        closing.close(following_up, by=mira, outcome=Outcome.ALL_KEPT)
    assert hook_calls == []
    unchanged(following_up)


def test_a_failing_hook_does_not_undo_the_close(
    following_up, carla, django_capture_on_commit_callbacks
):
    def broken(case, closure) -> None:
        raise RuntimeError("the questionnaire service is down")

    closing.add_on_closed(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    finally:
        closing._on_closed.remove(broken)
    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED


# --- refusals: each refuses a close that would otherwise have happened ---------------------------


@pytest.mark.parametrize("who", ["mira", "olaf", "bram"])
def test_only_the_cases_coordinator_closes_it(following_up, carla, who, request):
    with pytest.raises(NotAllowed):
        closing.close(following_up, by=request.getfixturevalue(who), outcome=Outcome.ALL_KEPT)
    unchanged(following_up)
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)  # Carla may


def test_a_participant_cannot_close_it(following_up, sanne):
    with pytest.raises(NotAllowed):
        closing.close(following_up, by=Actor.in_portal(sanne), outcome=Outcome.ALL_KEPT)
    unchanged(following_up)


def test_an_unanswered_report_waits_for_its_answer_first(following_up, bike, sanne, carla):
    report = open_report(bike, sanne)
    with pytest.raises(Refused) as refused:
        closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    assert refused.value.code == "reports_open"
    unchanged(following_up)
    actions.answer(report, by=carla, text="Ik bel Daan deze week.")
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED


@pytest.mark.parametrize(
    ("outcome", "note", "code"),
    [
        ("", NOTE, "outcome"),
        ("kept_by_daan", NOTE, "outcome"),
        # "Other" says nothing by itself: its note says what it was.
        (Outcome.OTHER, "", "note"),
        (Outcome.OTHER, "   ", "note"),
        (Outcome.ALL_KEPT, "x" * (closing.NOTE_MAX + 1), "note"),
        (Outcome.ALL_KEPT, "Goed\x00afgerond", "note"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    following_up, carla, outcome, note, code
):
    with pytest.raises(Refused) as refused:
        closing.close(following_up, by=carla, outcome=outcome, note=note)
    assert refused.value.code == code
    assert str(refused.value.reason)
    unchanged(following_up)
    # The same close with good input goes through.
    closing.close(following_up, by=carla, outcome=Outcome.OTHER, note=NOTE)


def test_closing_twice_is_refused_and_keeps_the_first_closure(following_up, carla):
    first = closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    with pytest.raises(Refused) as refused:
        closing.close(following_up, by=carla, outcome=Outcome.NOT_KEPT, note="Toch niet.")
    assert refused.value.code == "state"
    assert list(Closure.objects.filter(case=following_up)) == [first]
    assert first.outcome == Outcome.ALL_KEPT
    assert CaseEvent.objects.filter(case=following_up, kind="case.closed").count() == 1


# --- a closed case is read-only ------------------------------------------------------------------


@pytest.fixture
def closed(following_up, carla):
    closing.close(following_up, by=carla, outcome=Outcome.PARTLY_KEPT, note=NOTE)
    following_up.refresh_from_db()
    return following_up


def test_every_follow_up_action_is_refused_in_a_closed_case(
    closed, bike, school, daan, sanne, carla
):
    # Reports cannot be left open by a close; made here to show that the state alone refuses.
    done = open_report(bike, daan, Report.Kind.DONE)
    invoked = open_report(school, sanne)
    contact = Contact.objects.get(case=closed)
    attempts = {
        "set_state": lambda: actions.set_state(bike, AgreementState.DONE, by=carla),
        "report_done": lambda: actions.report_done(
            school, by=Actor.in_portal(daan), participant=daan, text="Gedaan."
        ),
        "invoke": lambda: actions.invoke(
            bike, by=Actor.in_portal(sanne), participant=sanne, text="Niet betaald."
        ),
        "answer": lambda: actions.answer(invoked, by=carla, text="Ik bel Daan."),
        "confirm_done": lambda: actions.confirm_done(done, by=carla),
        "ask_back": lambda: actions.ask_back(done, by=carla, text="Hoe dan?"),
        "record_contact": lambda: actions.record_contact(contact, by=carla, note="Gebeld."),
        "close": lambda: closing.close(closed, by=carla, outcome=Outcome.ALL_KEPT),
    }
    for name, attempt in attempts.items():
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "state", name
    bike.refresh_from_db()
    contact.refresh_from_db()
    assert bike.state == AgreementState.OPEN and contact.done_at is None
    assert Report.objects.filter(case=closed).count() == 2
    assert not Report.objects.filter(case=closed, answered_at__isnull=False).exists()


def test_the_plan_and_signing_are_closed_too(closed, carla, final_version):
    plan = Plan.objects.get(pk=final_version.plan_id)
    agreement = Agreement.objects.filter(plan=plan).order_by("position").first()
    with pytest.raises(Refused) as refused:
        editing.save_agreement(
            agreement, revision=agreement.revision, by=carla, what="Iets anders."
        )
    assert refused.value.code == "state"
    with pytest.raises(Refused) as refused:
        editing.add_agreement(plan, what="Nog een afspraak.", by=carla)
    assert refused.value.code == "state"
    with pytest.raises(Refused) as refused:
        versions.finalise(plan, by=carla)
    assert refused.value.code == "state"
    assert plan.versions.count() == 1
    assert Agreement.objects.get(pk=agreement.pk).what == agreement.what
    assert signing_policy.may_host_signing(carla, closed).code == "state"


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_agreements_and_what_closing_does(following_up, bike, carla, client):
    seen = text(dutch(client, carla).get(url(following_up)))
    assert "Daan betaalt de nieuwe fiets van Sanne terug" in seen
    assert "Open: 2" in seen
    assert "Alle afspraken nagekomen" in seen and "Afspraken deels nagekomen" in seen
    kept = two_years_from_today()
    from django.utils import formats, translation

    with translation.override("nl"):
        assert formats.date_format(kept, "j F Y") in seen
    # The questionnaires went out when the plan was signed (research): closing promises none.
    assert "vragenlijst" not in seen.lower()
    assert AuditEvent.objects.filter(case=following_up, action="followup.close_viewed").exists()


def test_closing_on_the_page_then_the_case_page_shows_the_closure(
    following_up, carla, mira, bram, client
):
    page = dutch(client, carla).post(
        url(following_up), {"outcome": "partly_kept", "note": NOTE}, follow=True
    )
    seen = text(page)
    assert "Afgesloten" in seen
    assert "Afspraken deels nagekomen" in seen
    assert NOTE in seen
    closure = Closure.objects.get(case=following_up)
    from django.utils import formats, translation

    with translation.override("nl"):
        kept = formats.date_format(closure.retain_until, "j F Y")
    assert kept in seen
    # No way to close again, on the case page or the closing page.
    assert url(following_up) not in page.content.decode()
    again = main(client.get(url(following_up)))
    assert "<form" not in again and "Zaak afsluiten" not in words(again)
    # The manager reads the outcome and the note; the office the outcome (a code, as a stop
    # reason) and the dates, never the note.
    manager = text(dutch(client, mira).get(case_page(following_up)))
    assert "Afspraken deels nagekomen" in manager and NOTE in manager and kept in manager
    office = text(dutch(client, bram).get(case_page(following_up)))
    assert kept in office
    assert "Afspraken deels nagekomen" in office and NOTE not in office


def test_the_timeline_says_the_outcome_never_the_note(following_up, carla, client):
    closing.close(following_up, by=carla, outcome=Outcome.NOT_KEPT, note=NOTE)
    seen = words(main(dutch(client, carla).get(case_page(following_up))))
    timeline = seen.split("Tijdlijn", 1)[1]
    assert "Afgesloten met een uitkomst – Afspraken niet nagekomen" in timeline
    assert NOTE not in timeline


def test_other_without_a_note_shows_the_message_at_the_note_and_changes_nothing(
    following_up, carla, client
):
    page = dutch(client, carla).post(url(following_up), {"outcome": "other", "note": ""})
    seen = text(page)
    assert "Er is een probleem" in seen
    assert 'href="#id_note"' in page.content.decode()
    unchanged(following_up)


def test_no_outcome_chosen_shows_the_message_and_changes_nothing(following_up, carla, client):
    seen = text(dutch(client, carla).post(url(following_up), {"note": NOTE}))
    assert "Er is een probleem" in seen and "Kies de uitkomst." in seen
    assert NOTE in seen  # the note typed stays
    unchanged(following_up)


def test_with_a_report_waiting_the_page_says_so_instead_of_the_form(
    following_up, bike, sanne, carla, client
):
    open_report(bike, sanne)
    page = dutch(client, carla).get(url(following_up))
    seen = text(page)
    assert "<form" not in main(page)
    assert "Beantwoord eerst de open berichten over de afspraken." in seen
    answer = client.post(url(following_up), {"outcome": "all_kept"})
    assert answer.status_code == 200
    unchanged(following_up)


@pytest.mark.parametrize(("who", "status"), [("mira", 403), ("bram", 403), ("olaf", 404)])
def test_anyone_but_the_coordinator_is_refused(following_up, who, status, client, request):
    user = request.getfixturevalue(who)
    signed_in = dutch(client, user)
    assert signed_in.get(url(following_up)).status_code == status
    assert signed_in.post(url(following_up), {"outcome": "all_kept"}).status_code == status
    unchanged(following_up)


def test_the_case_page_offers_closing_to_the_coordinator_only(following_up, carla, mira, client):
    assert url(following_up) in dutch(client, carla).get(case_page(following_up)).content.decode()
    assert (
        url(following_up) not in dutch(client, mira).get(case_page(following_up)).content.decode()
    )


def test_in_a_closed_case_the_tracker_and_the_plan_have_no_forms(closed, carla, client):
    from django.urls import reverse

    dutch(client, carla)
    for page in ("followup:tracker", "conference:plan", "conference:versions", "signing:overview"):
        answer = client.get(reverse(page, args=[closed.pk]))
        assert answer.status_code == 200, page
        assert "<form" not in main(answer), page
