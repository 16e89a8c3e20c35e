"""`kring generate` (issue 13 point 6): synthetic cases through every state, with the rows each
stage would have written, the research records and answers, in the test's transaction."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.circle.models import Consent, Participant
from kring.conference.models import Attendance, Conference, Plan, PlanVersion
from kring.demo.generate import NotEmpty, NotForRealData, generate
from kring.followup.models import Closure, TrackedAgreement
from kring.research.models import Answer, ConferenceRecord, Invitation, Source
from kring.signing.models import Signature

pytestmark = pytest.mark.django_db

N = 300
SEED = 7


def fingerprint() -> dict:
    """What a run made, in numbers: states, rows per table, the figures' raw sums."""
    return {
        "states": Counter(Case.objects.values_list("state", flat=True)),
        "participants": Participant.objects.count(),
        "signatures": Signature.objects.count(),
        "tracked": TrackedAgreement.objects.count(),
        "records": ConferenceRecord.objects.count(),
        "present": sum(ConferenceRecord.objects.values_list("participants_present", flat=True)),
        "answers": Counter(Answer.objects.values_list("role", "satisfied")),
    }


@pytest.fixture(autouse=True)
def demo_mode(settings):
    """The generator runs only in demo or debug mode or on the benchmark's database."""
    settings.DEMO_MODE = True


@pytest.fixture
def generated():
    return generate(N, seed=SEED)


def nothing_written() -> bool:
    return not (
        Case.objects.exists()
        or ConferenceRecord.objects.exists()
        or Answer.objects.exists()
        or CaseEvent.objects.exists()
    )


def test_generate_refuses_a_real_database(settings):
    """Outside demo and debug mode, and not on the benchmark's database, synthetic records and
    answers would spoil a real organisation's figures: nothing is written."""
    settings.DEMO_MODE = settings.DEBUG = False
    assert not hasattr(settings, "KRING_BENCHMARK")

    with pytest.raises(NotForRealData, match="spoil the figures"):
        generate(20, seed=SEED)
    assert nothing_written()

    err = StringIO()
    with pytest.raises(CommandError, match="KRING_DEMO_MODE or KRING_DEBUG"):
        call_command("generate", cases=20, quiet=True, stdout=StringIO(), stderr=err)
    with pytest.raises(CommandError, match="spoil the figures"):
        call_command("generate", cases=20, append=True, quiet=True, stdout=StringIO())
    assert nothing_written()


@pytest.mark.parametrize("switch", ["DEMO_MODE", "DEBUG", "KRING_BENCHMARK"])
def test_generate_runs_in_demo_or_debug_mode_or_on_the_benchmarks_database(settings, switch):
    settings.DEMO_MODE = settings.DEBUG = False
    setattr(settings, switch, True)

    call_command("generate", cases=20, quiet=True, stdout=StringIO())
    assert Case.objects.count() >= 20 and ConferenceRecord.objects.exists()


def test_the_benchmarks_settings_let_the_generator_fill_its_database():
    from bench import settings_bench

    assert settings_bench.KRING_BENCHMARK is True


def test_every_state_with_what_its_stage_writes(generated):
    assert Case.objects.count() == N
    states = Counter(Case.objects.values_list("state", flat=True))
    assert set(states) == set(State.values), states
    # Most cases are closed or stopped; every open state has a tail.
    assert states[State.CLOSED] + states[State.STOPPED] > N / 2
    for case in Case.objects.exclude(state=State.REQUESTED):
        assert case.events.filter(kind="case.requested").exists()
    # The timeline ends in the case's state, at the moment the case says it changed.
    for case in Case.objects.all()[:100]:
        last = case.events.exclude(to_state="").order_by("at", "pk").last()
        assert last.to_state == case.state
        assert last.at == case.state_changed_at
    assert not Case.objects.filter(state=State.DECLINED, decline_reason="").exists()
    assert not Case.objects.filter(state=State.STOPPED, stop_reason="").exists()
    # From preparing on there is a circle with consents; from scheduled on a meeting.
    for state in (State.PREPARING, State.SCHEDULED, State.CONFERENCE_HELD, State.CLOSED):
        case = Case.objects.filter(state=state).first()
        assert case.participants.count() >= 2
        assert Consent.objects.filter(participant__case=case).exists()
    assert not Case.objects.filter(
        state__in=(State.SCHEDULED, State.CONFERENCE_HELD), meetings__isnull=True
    ).exists()
    # A held conference went through the rounds (the plan's trigger would refuse otherwise).
    assert not Conference.objects.filter(rounds_done_at__isnull=True).exists()
    assert Plan.objects.filter(case__state=State.CONFERENCE_HELD).exists()  # a draft


def test_signed_plans_tracked_agreements_and_closures(generated):
    after = Case.objects.filter(state__in=(State.FOLLOWING_UP, State.CLOSED))
    assert after.count() > N / 3
    for case in after:
        version = PlanVersion.objects.get(plan__case=case)
        present = Attendance.objects.filter(conference__case=case, present=True)
        minors = present.filter(participant__is_minor=True).count()
        # Fully signed: every present participant, and the guardian of a minor.
        assert version.signatures.filter(role="own").count() == present.count()
        assert version.signatures.filter(role="guardian").count() == minors
        assert set(version.signatures.values_list("content_hash", flat=True)) == {
            version.content_hash
        }
        agreements = version.plan.agreements.count()
        assert agreements >= 1
        assert TrackedAgreement.objects.filter(case=case, version=version).count() == agreements
        assert hasattr(case, "closure") == (case.state == State.CLOSED)
    assert Signature.objects.filter(role="guardian").exists()
    assert not TrackedAgreement.objects.filter(case__state=State.CLOSED, state="open").exists()
    assert Closure.objects.filter(outcome="all_kept").exists()


def test_research_records_and_answers(generated):
    records = ConferenceRecord.objects.annotate(
        present=Count(
            "case__conferences__attendance", filter=Q(case__conferences__attendance__present=True)
        ),
    )
    assert (
        records.count() == Case.objects.filter(state__in=(State.FOLLOWING_UP, State.CLOSED)).count()
    )
    for record in records:
        assert record.source == Source.LIVE
        assert record.present == record.participants_present >= 3
        assert record.team_id == record.case.team_id
        invitations = Invitation.objects.filter(record=record)
        assert invitations.count() == record.participants_present
        answered = invitations.filter(answered_at__isnull=False).count()
        assert record.answers.count() == answered <= invitations.count()
    mean = sum(r.participants_present for r in records) / records.count()
    assert 7.5 < mean < 9.5
    answers = Answer.objects.all()
    invited = Invitation.objects.count()
    assert 0.45 < answers.count() / invited < 0.75
    # The three questions for the person harmed are answered by the harmed only.
    assert not answers.exclude(role="harmed").filter(situation_restored__isnull=False).exists()
    harmed = answers.filter(role="harmed")
    restored = harmed.filter(situation_restored__gte=4).count() / harmed.count()
    responsible = answers.filter(role="responsible")
    satisfied = responsible.filter(satisfied__gte=4).count() / responsible.count()
    assert restored > 0.75 and satisfied > 0.8


def test_the_research_timeline_and_audit_rows_as_the_actions_write_them(generated):
    """research.actions writes "research.invited" (the system, once per conference) and
    "research.answered" (the participant on their page, or the coordinator from paper), each
    with its audit row and never an answer: the generator writes the same."""
    records = ConferenceRecord.objects.filter(case__isnull=False)
    invited = CaseEvent.objects.filter(kind="research.invited")
    assert invited.count() == records.count() > 0
    for record in records[:50]:
        event = invited.get(case=record.case)
        assert event.actor_kind == "system" and event.actor is None
        assert event.data == {"round": 1, "invited": record.participants_present}
    answered = CaseEvent.objects.filter(kind="research.answered")
    done = Invitation.objects.filter(answered_at__isnull=False)
    assert answered.count() == done.count() > 0
    for invitation in done.select_related("record", "participant")[:200]:
        event = answered.get(
            case=invitation.record.case, data__participant=invitation.participant_id
        )
        assert event.data == {
            "participant": invitation.participant_id,
            "round": 1,
            "on_paper": invitation.on_paper,
        }
        assert event.at == invitation.answered_at
        if invitation.on_paper:
            assert event.actor_kind == "staff" and event.actor == invitation.record.case.coordinator
        else:
            assert event.actor_kind == "participant" and event.via == "portal"
            assert event.actor_participant_id == invitation.participant_id
    assert answered.filter(actor_kind="staff").exists()
    for kind, events in (("research.invited", invited), ("research.answered", answered)):
        audit = AuditEvent.objects.filter(action=kind)
        assert audit.count() == events.count()
        assert not audit.exclude(object_type="cases.case").exists()
        assert set(audit.values_list("actor_kind", flat=True)) == set(
            events.values_list("actor_kind", flat=True)
        )


def test_the_same_seed_gives_the_same_data_and_append_adds_to_it(generated):
    first = fingerprint()
    with pytest.raises(NotEmpty):
        generate(N, seed=SEED)
    assert fingerprint() == first
    generate(N, seed=SEED, append=True)
    both = fingerprint()
    assert both["states"] == first["states"] + first["states"]
    for key in ("participants", "signatures", "tracked", "records", "present"):
        assert both[key] == 2 * first[key], key
    assert both["answers"] == first["answers"] + first["answers"]


def test_the_command_refuses_a_database_with_cases_unless_append(generated, tmp_path):
    events = CaseEvent.objects.count()
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", cases=50, quiet=True, stdout=StringIO())
    assert Case.objects.count() == N and CaseEvent.objects.count() == events
    out = StringIO()
    call_command(
        "generate", cases=50, append=True, quiet=True, out=str(tmp_path / "f.json"), stdout=out
    )
    assert "the database now has" in out.getvalue()
    assert (tmp_path / "f.json").exists()
    # carla's caseload comes first, so at least 43 cases are added.
    assert Case.objects.count() >= N + 43


def test_generated_timestamps_leave_the_models_as_they_were(generated):
    """The generator switches auto_now_add off while it writes: afterwards it is back on."""
    field = Case._meta.get_field("created_at")
    assert field.auto_now_add is True
