"""The follow-up actions (issue 12, points 1-3; R15): what each changes that a user sees (the
agreement's state and its history on the tracker, the coordinator's notice and mail, the answer
and its mail on the participant's side, the timeline), that a retry writes nothing twice, and
that each refusal refuses something that would otherwise have happened and changes nothing.
Carla's case in follow-up (conftest): agreement 1, the bike, and 2, the school, are Daan's."""

import pytest
from django.utils import translation

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.cases import registry
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.circle import links, notices
from kring.circle.models import Notice, Participant
from kring.core.policy import NotAllowed, Refused
from kring.followup import actions
from kring.followup.models import (
    AgreementChange,
    AgreementState,
    ChangeKind,
    Contact,
    Report,
    TrackedAgreement,
)
from kring.followup.tests import wording
from kring.notifications.models import OutgoingMail
from kring.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db

SANNES_WORDS = "Daan heeft deze maand niets terugbetaald."
DAANS_WORDS = "Ik heb de laatste 20 euro overgemaakt."


def portal(participant: Participant) -> Actor:
    return Actor.in_portal(participant)


def fresh(tracked: TrackedAgreement) -> TrackedAgreement:
    return TrackedAgreement.objects.get(pk=tracked.pk)


def counts(case: Case) -> tuple[int, ...]:
    """Everything an action writes: a refusal changes none of it, a retry none twice."""
    return (
        Report.objects.filter(case=case).count(),
        Report.objects.filter(case=case, answered_at__isnull=False).count(),
        AgreementChange.objects.filter(tracked__case=case).count(),
        Notice.objects.filter(case=case).count(),
        Notice.objects.filter(case=case, handled_at__isnull=False).count(),
        CaseEvent.objects.filter(case=case).count(),
        OutgoingMail.objects.count(),
        AuditEvent.objects.filter(case=case).count(),
        Contact.objects.filter(case=case, done_at__isnull=False).count(),
        *TrackedAgreement.objects.filter(case=case).order_by("pk").values_list("state", flat=True),
    )


def last_event(case: Case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).latest("at", "pk")


def shown(event: CaseEvent) -> str:
    """The timeline line as the coordinator reads it (in English)."""
    with translation.override("en"):
        words = [
            str(registry.event_label(event.kind)),
            *registry.timeline_details(event, full=True),
        ]
    return " — ".join(words)


def refuses(case: Case, exception, call) -> Refused | NotAllowed:
    before = counts(case)
    with pytest.raises(exception) as raised:
        call()
    assert counts(case) == before, "a refusal changes nothing"
    return raised.value


def close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED)


# --- setting a state ----------------------------------------------------------------------------


def test_carla_records_that_an_agreement_is_partly_done_with_a_note(bike, carla):
    actions.set_state(bike, AgreementState.PARTLY_DONE, by=carla, note="Helft terugbetaald.")

    bike = fresh(bike)
    assert bike.state == AgreementState.PARTLY_DONE and bike.state_changed_at is not None
    line = bike.changes.get()
    assert (line.kind, line.by, line.from_state, line.to_state, line.note) == (
        ChangeKind.STATE,
        carla,
        AgreementState.OPEN,
        AgreementState.PARTLY_DONE,
        "Helft terugbetaald.",
    )
    event = last_event(bike.case)
    assert event.kind == "followup.state_set" and event.actor == carla
    assert (
        shown(event) == "Recorded the state of an agreement — Agreement 1 of version 1: Partly done"
    )
    # The note is on the agreement's history only: never in the timeline or the audit log.
    assert "Helft" not in str(event.data)
    assert not AuditEvent.objects.filter(data__icontains="Helft").exists()


@pytest.mark.parametrize(
    ("state", "note", "code"),
    [
        (AgreementState.CHANGED, "", "not_settable"),  # only through a new version (R14)
        ("bogus", "", "unknown_state"),
        (AgreementState.OPEN, "", "same_state"),
        (AgreementState.DONE, "x" * (actions.NOTE_MAX + 1), "too_long"),
        (AgreementState.DONE, "Betaald\x00", "bad_character"),
    ],
)
def test_a_state_that_cannot_be_set_changes_nothing(bike, carla, state, note, code):
    refused = refuses(
        bike.case, Refused, lambda: actions.set_state(bike, state, by=carla, note=note)
    )
    assert refused.code == code and str(refused.reason)
    # The same call with a state and note that may be set does change the agreement.
    actions.set_state(bike, AgreementState.DONE, by=carla, note="x" * actions.NOTE_MAX)
    assert fresh(bike).state == AgreementState.DONE


def test_only_carla_sets_a_state_and_only_while_the_case_is_followed_up(bike, carla, olaf, mira):
    for someone in (olaf, mira, portal(bike.owner)):
        refuses(
            bike.case,
            NotAllowed,
            lambda someone=someone: actions.set_state(bike, AgreementState.DONE, by=someone),
        )
    close(bike.case)
    refused = refuses(
        bike.case, Refused, lambda: actions.set_state(bike, AgreementState.DONE, by=carla)
    )
    assert refused.code == "state"


def test_a_state_set_on_a_page_shown_before_a_newer_version_is_refused(bike, carla):
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.CHANGED)
    # `bike` is the page's stale copy, still "open": the action reads it again under the lock.
    refused = refuses(
        bike.case, Refused, lambda: actions.set_state(bike, AgreementState.DONE, by=carla)
    )
    assert refused.code == "changed"


# --- reports from the personal page -------------------------------------------------------------


def test_daan_reports_his_agreement_done_and_carla_is_told_at_once_without_content(
    bike, daan, carla
):
    report = actions.report_done(bike, by=portal(daan), participant=daan, text=f"  {DAANS_WORDS} ")

    assert (report.kind, report.text, report.participant) == (
        Report.Kind.DONE,
        DAANS_WORDS,
        daan,
    )
    line = fresh(bike).changes.get()
    assert (line.kind, line.by, line.by_participant) == (ChangeKind.REPORTED_DONE, None, daan)
    assert fresh(bike).state == AgreementState.OPEN  # until Carla confirms it
    # "Wacht op jou" on the case page, in the coordinator's words.
    [notice] = notices.open_notices(bike.case)
    assert (notice.kind, notice.participant) == (actions.REPORTED_DONE, daan)
    with translation.override("en"):
        assert str(notices.label(notice.kind)) == (
            "reported an agreement done: read it on the page Agreements"
        )
    mail = OutgoingMail.objects.filter(to=carla.email).latest("pk")
    assert mail.kind == "circle.notice"
    assert DAANS_WORDS not in mail.subject + mail.body_text + mail.body_html
    assert "Daan" not in mail.subject + mail.body_text
    event = last_event(bike.case)
    assert (event.kind, event.actor_participant_id, event.via) == (
        "followup.reported_done",
        daan.pk,
        "portal",
    )
    assert shown(event) == "Reported an agreement done — Agreement 1 of version 1"
    assert DAANS_WORDS not in str(event.data)


def test_sanne_invokes_an_agreement_in_her_own_words(bike, sanne, carla):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)

    assert (report.kind, report.text) == (Report.Kind.NOT_KEPT, SANNES_WORDS)
    assert fresh(bike).changes.get().kind == ChangeKind.INVOKED
    [notice] = notices.open_notices(bike.case)
    assert (notice.kind, notice.participant) == (actions.INVOKED, sanne)
    event = last_event(bike.case)
    assert event.kind == "followup.invoked" and event.actor_participant_id == sanne.pk
    assert shown(event) == "Reported that an agreement is not kept — Agreement 1 of version 1"
    mail = OutgoingMail.objects.filter(to=carla.email).latest("pk")
    assert mail.kind == "circle.notice"
    assert SANNES_WORDS not in mail.body_text + mail.body_html + mail.subject


@pytest.mark.parametrize("action", ["report_done", "invoke"])
def test_a_report_sent_twice_is_made_once(bike, daan, sanne, action):
    who = daan if action == "report_done" else sanne
    first = getattr(actions, action)(bike, by=portal(who), participant=who, text="Zo is het.")
    before = counts(bike.case)

    again = getattr(actions, action)(bike, by=portal(who), participant=who, text=" Zo is het.")

    assert again == first and counts(bike.case) == before
    # Other words are a second report, which waits for the answer to the first.
    refused = refuses(
        bike.case,
        Refused,
        lambda: getattr(actions, action)(bike, by=portal(who), participant=who, text="Anders."),
    )
    assert refused.code == "report_waiting"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "text_required"),
        ("   ", "text_required"),
        ("x" * (actions.TEXT_MAX + 1), "too_long"),
        ("Niet betaald\x00", "bad_character"),
    ],
)
@pytest.mark.parametrize("action", ["report_done", "invoke"])
def test_a_report_without_usable_words_changes_nothing(bike, daan, sanne, action, text, code):
    who = daan if action == "report_done" else sanne
    refused = refuses(
        bike.case,
        Refused,
        lambda: getattr(actions, action)(bike, by=portal(who), participant=who, text=text),
    )
    assert refused.code == code and str(refused.reason)
    # With words that can be used, the same report is made.
    getattr(actions, action)(bike, by=portal(who), participant=who, text="x" * actions.TEXT_MAX)
    assert Report.objects.filter(tracked=bike).count() == 1


def test_a_report_on_an_agreement_of_another_case_is_refused_and_changes_nothing(bike, sanne):
    stranger = Participant.objects.create(
        case=CaseFactory(state=State.FOLLOWING_UP), name="Kees", side="harmed"
    )
    # Sanne's own report on it would be made (see above); Kees is of another case.
    for action in (actions.invoke, actions.report_done):
        refused = refuses(
            bike.case,
            NotAllowed,
            lambda action=action: action(
                bike, by=portal(stranger), participant=stranger, text=SANNES_WORDS
            ),
        )
        assert refused.code == "other_case"


def test_a_report_for_someone_else_is_refused(bike, daan, sanne, carla):
    # Sanne cannot invoke in Daan's name, nor the coordinator in Sanne's.
    for by, participant in ((portal(sanne), daan), (carla, sanne)):
        refused = refuses(
            bike.case,
            NotAllowed,
            lambda by=by, participant=participant: actions.invoke(
                bike, by=by, participant=participant, text=SANNES_WORDS
            ),
        )
        assert refused.code == "not_self"


def test_daan_cannot_invoke_his_own_agreement_nor_sanne_report_it_done(bike, daan, sanne):
    refused = refuses(
        bike.case,
        Refused,
        lambda: actions.invoke(bike, by=portal(daan), participant=daan, text="Lukt niet."),
    )
    assert refused.code == "own_agreement"
    refused = refuses(
        bike.case,
        Refused,
        lambda: actions.report_done(bike, by=portal(sanne), participant=sanne, text="Klaar."),
    )
    assert refused.code == "not_owner"


def test_no_report_once_the_case_is_closed(bike, daan, sanne):
    close(bike.case)
    for action, who in ((actions.invoke, sanne), (actions.report_done, daan)):
        refused = refuses(
            bike.case,
            Refused,
            lambda action=action, who=who: action(
                bike, by=portal(who), participant=who, text="Nog iets."
            ),
        )
        assert refused.code == "state"


# --- answers ------------------------------------------------------------------------------------


def test_carla_answers_sannes_invocation_and_sets_the_state(bike, sanne, carla):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    OutgoingMail.objects.all().delete()  # the notice's mail to Carla

    actions.answer(report, by=carla, text="Ik heb Daan gebeld.", state=AgreementState.NOT_KEPT)

    report.refresh_from_db()
    assert (report.outcome, report.answer, report.answered_by) == (
        Report.Outcome.ANSWERED,
        "Ik heb Daan gebeld.",
        carla,
    )
    assert fresh(bike).state == AgreementState.NOT_KEPT
    kinds = list(fresh(bike).changes.values_list("kind", flat=True))
    assert kinds == [ChangeKind.INVOKED, ChangeKind.STATE, ChangeKind.ANSWERED]
    assert notices.open_notices(bike.case) == []  # answering handles "Wacht op jou"
    event = last_event(bike.case)
    assert event.kind == "followup.answered" and event.actor == carla
    assert (
        shown(event) == "Answered a report about an agreement — Agreement 1 of version 1: answered"
    )
    # Sanne is told an answer waits on her page; the mail holds neither her words nor Carla's.
    mail = OutgoingMail.objects.get(to=sanne.email)
    assert mail.kind == actions.ANSWER_MAIL
    assert "Daan" not in mail.subject + mail.body_text + mail.body_html
    assert SANNES_WORDS not in mail.body_text and "gebeld" not in mail.body_text
    assert links.code_url() in mail.body_text  # where to type the letter's code


def test_an_answer_without_a_new_state_keeps_the_agreements_state(bike, sanne, carla):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    # The state it has already is no change (a form that sends the present state).
    actions.answer(report, by=carla, text="Ik bel hem.", state=AgreementState.OPEN)
    assert fresh(bike).state == AgreementState.OPEN
    assert not fresh(bike).changes.filter(kind=ChangeKind.STATE).exists()


def test_someone_without_an_email_address_gets_no_mail(bike, ria, carla):
    report = actions.invoke(bike, by=portal(ria), participant=ria, text=SANNES_WORDS)
    mails = OutgoingMail.objects.count()
    actions.answer(report, by=carla, text="Dank je.")
    assert Report.objects.get(pk=report.pk).answered_at is not None
    assert OutgoingMail.objects.count() == mails


def test_an_answer_sent_twice_is_given_once(bike, sanne, carla):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    actions.answer(report, by=carla, text="Ik bel hem.")
    before = counts(bike.case)
    assert actions.answer(report, by=carla, text="Ik bel hem.").pk == report.pk
    assert counts(bike.case) == before
    # Another answer to an answered report is refused.
    refused = refuses(
        bike.case, Refused, lambda: actions.answer(report, by=carla, text="Nog iets.")
    )
    assert refused.code == "answered"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "answer_required"),
        ("x" * (actions.TEXT_MAX + 1), "too_long"),
        ("a\x00", "bad_character"),
    ],
)
def test_an_answer_without_usable_words_changes_nothing(bike, sanne, carla, text, code):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    refused = refuses(
        bike.case,
        Refused,
        lambda: actions.answer(report, by=carla, text=text, state=AgreementState.NOT_KEPT),
    )
    assert refused.code == code
    actions.answer(report, by=carla, text="x" * actions.TEXT_MAX, state=AgreementState.NOT_KEPT)
    assert fresh(bike).state == AgreementState.NOT_KEPT


def test_only_carla_answers_and_not_in_a_closed_case(bike, sanne, carla, olaf, mira):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    for someone in (olaf, mira, portal(sanne)):
        refuses(
            bike.case,
            NotAllowed,
            lambda someone=someone: actions.answer(report, by=someone, text="Hallo."),
        )
    close(bike.case)
    refused = refuses(bike.case, Refused, lambda: actions.answer(report, by=carla, text="Hallo."))
    assert refused.code == "state"


def test_a_notice_stays_while_another_report_of_the_same_person_waits(bike, school, sanne, carla):
    first = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    actions.invoke(school, by=portal(sanne), participant=sanne, text="Hij fietste langs.")
    actions.answer(first, by=carla, text="Ik bel hem.")
    assert len(notices.open_notices(bike.case)) == 2  # one per report; the school's still waits
    # The page lists the open one; answering it leaves nothing waiting.
    second = Report.objects.get(tracked=school)
    actions.answer(second, by=carla, text="Ik bel hem ook daarover.")
    assert notices.open_notices(bike.case) == []


# --- confirming and asking back -----------------------------------------------------------------


def test_carla_confirms_daans_report_and_the_agreement_is_done(bike, daan, carla):
    report = actions.report_done(bike, by=portal(daan), participant=daan, text=DAANS_WORDS)

    actions.confirm_done(report, by=carla)

    report.refresh_from_db()
    assert (report.outcome, report.answer) == (Report.Outcome.CONFIRMED, "")
    bike = fresh(bike)
    assert bike.state == AgreementState.DONE
    line = bike.changes.latest("at", "pk")
    assert (line.kind, line.from_state, line.to_state, line.by) == (
        ChangeKind.CONFIRMED,
        AgreementState.OPEN,
        AgreementState.DONE,
        carla,
    )
    assert notices.open_notices(bike.case) == []
    assert shown(last_event(bike.case)) == (
        "Answered a report about an agreement — Agreement 1 of version 1: confirmed, Done"
    )
    assert OutgoingMail.objects.filter(to=daan.email, kind=actions.ANSWER_MAIL).count() == 1
    # Daan cannot report it done again: it is done.
    refused = refuses(
        bike.case,
        Refused,
        lambda: actions.report_done(bike, by=portal(daan), participant=daan, text="Nog eens."),
    )
    assert refused.code == "not_open"


def test_an_invocation_is_answered_never_confirmed_or_asked_back(bike, sanne, carla):
    report = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    for call in (
        lambda: actions.confirm_done(report, by=carla),
        lambda: actions.ask_back(report, by=carla, text="Wat bedoel je?"),
    ):
        assert refuses(bike.case, Refused, call).code == "kind"


def test_carla_asks_back_and_daan_can_report_again(bike, daan, carla):
    report = actions.report_done(bike, by=portal(daan), participant=daan, text=DAANS_WORDS)
    refused = refuses(bike.case, Refused, lambda: actions.ask_back(report, by=carla, text=" "))
    assert refused.code == "question_required"

    actions.ask_back(report, by=carla, text="Heb je een bewijs van de betaling?")

    report.refresh_from_db()
    assert report.outcome == Report.Outcome.ASKED_BACK
    assert fresh(bike).state == AgreementState.OPEN
    assert fresh(bike).changes.latest("at", "pk").kind == ChangeKind.ASKED_BACK
    assert notices.open_notices(bike.case) == []
    again = actions.report_done(bike, by=portal(daan), participant=daan, text="Hier is het.")
    assert again.pk != report.pk


# --- the follow-up contact ----------------------------------------------------------------------


def test_carla_records_the_follow_up_contact_once(following_up, carla, olaf):
    contact = Contact.objects.get(case=following_up)
    refuses(following_up, NotAllowed, lambda: actions.record_contact(contact, by=olaf))
    refused = refuses(
        following_up,
        Refused,
        lambda: actions.record_contact(contact, by=carla, note="x" * (actions.NOTE_MAX + 1)),
    )
    assert refused.code == "too_long"

    actions.record_contact(contact, by=carla, note="Iedereen gebeld.")

    contact.refresh_from_db()
    assert contact.done_at is not None and contact.done_by == carla
    assert contact.note == "Iedereen gebeld."
    event = last_event(following_up)
    assert shown(event) == "Recorded the follow-up contact"
    assert "gebeld" not in str(event.data)
    refused = refuses(following_up, Refused, lambda: actions.record_contact(contact, by=carla))
    assert refused.code == "contact_done"


# --- neutral wording (R15) ----------------------------------------------------------------------

# Words that mark a person as having failed: one list for every test (followup/tests/wording.py).
NOT_NEUTRAL = wording.NOT_NEUTRAL


def _every_word_of_followup() -> list[str]:
    from kring.followup import presentation
    from kring.followup.models import Outcome

    words = [
        *(label for _code, label in AgreementState.choices),
        *(label for _code, label in ChangeKind.choices),
        *(label for _code, label in Report.Kind.choices),
        *(label for _code, label in Report.Outcome.choices),
        *(label for _code, label in Outcome.choices),
        *presentation.EVENT_LABELS.values(),
        presentation.NEXT_STEP,
        notices.label(actions.REPORTED_DONE),
        notices.label(actions.INVOKED),
    ]
    return [str(word) for word in words]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_state_label_or_timeline_line_names_a_person_as_failing(
    bike, school, daan, sanne, carla, language
):
    """R15: states and lines describe agreements, never people; never the typed words."""
    invoked = actions.invoke(bike, by=portal(sanne), participant=sanne, text=SANNES_WORDS)
    actions.answer(invoked, by=carla, text="Ik bel hem.", state=AgreementState.NOT_KEPT)
    done = actions.report_done(school, by=portal(daan), participant=daan, text=DAANS_WORDS)
    actions.confirm_done(done, by=carla, note="Goed zo.")
    events = CaseEvent.objects.filter(case=bike.case, kind__startswith="followup.")
    with translation.override(language):
        lines = [shown(event) for event in events]
        texts = _every_word_of_followup() + lines
        mails = OutgoingMail.objects.filter(kind=actions.ANSWER_MAIL)
        texts += [m.subject + m.body_text for m in mails]
    assert len(lines) >= 5
    for text in texts:
        lowered = text.lower()
        assert not [w for w in NOT_NEUTRAL if w in lowered], text
        for typed in (SANNES_WORDS, DAANS_WORDS, "Ik bel hem", "Goed zo"):
            assert typed not in text
    for line in lines:
        assert "Daan" not in line and "Sanne" not in line


def test_the_states_read_in_plain_dutch():
    with translation.override("nl"):
        assert [str(label) for _code, label in AgreementState.choices] == [
            "Open",
            "Gedaan",
            "Deels gedaan",
            "Niet nagekomen",
            "In overleg veranderd",
        ]
