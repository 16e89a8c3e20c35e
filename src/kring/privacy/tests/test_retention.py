"""Retention keeps the privacy statement's promise (issue 14, point 7; docs/data-retention.md).

The done-when: "A retention test with the clock moved forward erases exactly what is due, keeps
the figures unchanged, and leaves an audit row." The cases, each made through the real actions
at the time the clock then showed, and `kring retention` run three years and a day after today:

- declined 7 months before the run: due; declined 5 months before: not yet;
- stopped 3 years before: due;
- closed today through follow-up (kept until today + 2 years): due; closed with its date in
  the future: not yet;
- declined 7 months before but on legal hold: not, until the hold is lifted;
- open (in preparation): never.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases import actions
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.followup import closing
from kring.followup.models import Closure, Outcome
from kring.notifications.models import OutgoingMail
from kring.privacy import holds, retention
from kring.privacy.models import CaseErasure, ErasureReason
from kring.research.figures import Selection, compute
from kring.research.models import ConferenceRecord, Source
from kring.testing.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.now()
RUN = TODAY + timedelta(days=3 * 365 + 1)
EVERYTHING = Selection(date(2020, 1, 1), date(2040, 12, 31))


@pytest.fixture
def clock(monkeypatch):
    """`clock(at)`: from now on, Kring's time is `at`."""

    def move(at: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: at)

    return move


def _request(account: str, requester: str):
    """A new request with its own words and requester, so that the case page shows whose it is."""
    return actions.open_case(
        ReferralFactory(description=account, requester_name=requester), team=None
    )


def _declined(account, requester, *, bram):
    case = _request(account, requester)
    actions.take_on(case, by=bram)
    return actions.decline(case, reason="not_suitable", by=bram)


def _months_before(at: datetime, months: int) -> datetime:
    day = retention.add_months(timezone.localtime(at).date(), -months)
    return timezone.make_aware(datetime.combine(day, timezone.localtime(at).time()))


@pytest.fixture
def world(clock, following_up, carla, bram, mira, team):
    """Every kind of case of the module docstring; returns them by name."""
    cases = {}
    # Today: the case in follow-up is closed (kept until today + 2 years); a case is stopped.
    clock(TODAY)
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT, note="Alles is goed gegaan.")
    cases["closed_due"] = following_up
    stopped = _request("Account of the stopped case", "Stijn Gestopt")
    actions.take_on(stopped, by=bram)
    cases["stopped_due"] = actions.stop(stopped, reason="other", by=mira)
    # A closed case whose date is still ahead at the run.
    later = CaseFactory(
        referral=ReferralFactory(description="Account of the kept case", requester_name="Kees"),
        state=State.CLOSED,
        team=team,
        coordinator=carla,
    )
    CaseEvent.objects.create(
        case=later, at=TODAY, kind="case.closed", actor_kind="staff", to_state=State.CLOSED
    )
    Closure.objects.create(
        case=later,
        outcome=Outcome.OTHER,
        note="Bewaren.",
        closed_at=TODAY,
        closed_by=carla,
        retain_until=(RUN + timedelta(days=365)).date(),
    )
    cases["closed_kept"] = later
    # Four earlier conferences, imported: with the closed case's, enough for the figures (R16).
    for number in range(4):
        ConferenceRecord.objects.create(
            source=Source.IMPORTED,
            import_ref=f"2025-{number}",
            team=team,
            held_on=timezone.localdate(),
            participants_present=6 + number,
        )
    # Seven months before the run: two declines, one of them put on hold.
    clock(_months_before(RUN, 7))
    cases["declined_due"] = _declined("Account of the old decline", "Olga Oud", bram=bram)
    cases["declined_held"] = _declined("Account of the held decline", "Hilde Hold", bram=bram)
    holds.place_hold(cases["declined_held"], by=mira, reference="ECLI:NL:RBMNE:2027:1234")
    # Five months before the run: a decline not yet due.
    clock(_months_before(RUN, 5))
    cases["declined_recent"] = _declined("Account of the recent decline", "Rob Recent", bram=bram)
    cases["open"] = _request("Account of the open case", "Otto Open")
    clock(RUN)
    return cases


ACCOUNTS = {
    "closed_due": "Daan heeft de fiets van Sanne vernield.",
    "stopped_due": "Account of the stopped case",
    "closed_kept": "Account of the kept case",
    "declined_due": "Account of the old decline",
    "declined_held": "Account of the held decline",
    "declined_recent": "Account of the recent decline",
    "open": "Account of the open case",
}
DUE = {"closed_due", "stopped_due", "declined_due"}


def _page(client, case) -> str:
    return client.get(f"/zaken/{case.pk}/").content.decode()


def _snapshot() -> dict[str, list]:
    """Every row of every table of Kring's apps."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "contenttypes", "auth")
    }


def test_retention_with_the_clock_moved_forward_erases_exactly_what_is_due(
    world, as_user, mira, monkeypatch
):
    client = as_user(mira)
    for name, case in world.items():
        if name != "open":  # the open request is in the office's inbox, not yet the team's
            assert ACCOUNTS[name] in _page(client, case), name
    figures = compute(EVERYTHING)
    assert figures.conferences.value == 5  # the closed case's conference counts
    funnel = {figure.key: figure.value for figure in figures.funnel}
    assert funnel["requests"] == 7

    out = io.StringIO()
    call_command("retention", stdout=out)

    assert "Cases erased: 3 of 3 due" in out.getvalue()
    erased = {name for name, case in world.items() if CaseErasure.objects.filter(case=case)}
    assert erased == DUE
    for name in DUE:
        page = _page(client, world[name])
        assert ACCOUNTS[name] not in page, name
        assert "erased" in page  # the panel says so
    for name in ("closed_kept", "declined_held", "declined_recent"):
        assert ACCOUNTS[name] in _page(client, world[name]), name
    # The figures are the same numbers as before.
    assert compute(EVERYTHING) == figures
    # One audit row per erasure, with ids, the reason and counts; never what was erased.
    rows = AuditEvent.objects.filter(action=retention.ERASURE_MADE)
    assert {row.case_id for row in rows} == {world[name].pk for name in DUE}
    for row in rows:
        assert set(row.data) == {"reason", "rows", "due_since"}
        assert row.data["rows"] > 0
        assert row.actor_kind == "system"
    every_row = " ".join(str(r.data) for r in AuditEvent.objects.all())
    for account in ACCOUNTS.values():
        assert account not in every_row
    # On each erased case's timeline.
    for name in DUE:
        assert CaseEvent.objects.filter(case=world[name], kind=retention.ERASED).count() == 1

    # A second run finds nothing more: an erased case is not erased twice.
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert "Cases erased: 0 of 0 due" in out.getvalue()


def test_the_hold_refuses_an_erasure_that_happens_once_it_is_lifted(world, mira):
    held = world["declined_held"]
    assert retention.erase(held.pk) is None
    assert not CaseErasure.objects.filter(case=held).exists()
    assert held.referral.description == ACCOUNTS["declined_held"]
    assert held.pk not in {due.case_id for due in retention.due_cases()}

    holds.lift_hold(held, by=mira)

    assert held.pk in {due.case_id for due in retention.due_cases()}
    erasure = retention.erase(held.pk)
    assert erasure is not None and erasure.reason == ErasureReason.DECLINED
    held.referral.refresh_from_db()
    assert ACCOUNTS["declined_held"] not in held.referral.description


def test_a_hold_placed_after_the_list_was_read_still_stops_the_erasure(world, mira):
    """The erasure asks again under the case's lock: a hold placed while the job runs wins."""
    case = world["declined_due"]
    assert case.pk in {due.case_id for due in retention.due_cases()}
    holds.place_hold(case, by=mira)
    assert retention.erase(case.pk) is None
    assert not CaseErasure.objects.filter(case=case).exists()


def test_a_dry_run_lists_what_is_due_and_changes_nothing(world):
    before = _snapshot()
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()

    assert _snapshot() == before
    for name, case in world.items():
        assert (case.reference in text) == (name in DUE), name
    assert "Cases due: 3 (declined request: 1, stopped case: 1, closed case: 1)" in text
    assert "Nothing was changed (dry run)." in text


def test_the_nightly_task_erases_as_the_command_does(world):
    from kring.privacy.tasks import erase_due_data

    erase_due_data.call_local()

    assert {c.case_id for c in CaseErasure.objects.all()} == {world[n].pk for n in DUE}


def test_nothing_is_due_before_its_time(world, clock):
    """A day before a case's last day has passed, it is kept."""
    clock(TODAY + timedelta(days=365))
    assert list(retention.due_cases()) == []


# --- the outbox ----------------------------------------------------------------------------------


def _mail(status: str, *, at: datetime, to: str = "sanne@example.org") -> OutgoingMail:
    mail = OutgoingMail.objects.create(
        kind="portal.invitation",
        to=to,
        language="nl",
        subject="Uitnodiging voor Sanne",
        body_text="Beste Sanne, ...",
        body_html="<p>Beste Sanne</p>",
        secret="sealed",
        attachments=[{"filename": "a.ics", "content_type": "text/calendar", "content": "x"}],
        status=status,
        sent_at=at if status == OutgoingMail.Status.SENT else None,
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=at)
    return mail


def test_old_mails_lose_their_content_and_waiting_ones_are_never_touched(clock, db, settings):
    settings.KRING_RETENTION_OUTBOX_DAYS = 90
    long_ago = TODAY - timedelta(days=91)
    old_sent = _mail(OutgoingMail.Status.SENT, at=long_ago)
    old_failed = _mail(OutgoingMail.Status.FAILED, at=long_ago)
    waiting = _mail(OutgoingMail.Status.PENDING, at=long_ago)
    recent = _mail(OutgoingMail.Status.SENT, at=TODAY - timedelta(days=89))
    clock(TODAY)

    assert retention.purge_outbox() == 2

    for mail in (old_sent, old_failed):
        mail.refresh_from_db()
        assert (mail.to, mail.subject, mail.body_text, mail.body_html, mail.secret) == (
            "",
            "",
            "",
            "",
            "",
        )
        assert mail.attachments == []
        assert mail.status in (OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED)
    for mail in (waiting, recent):
        mail.refresh_from_db()
        assert mail.to == "sanne@example.org" and mail.subject == "Uitnodiging voor Sanne"
    row = AuditEvent.objects.get(action=retention.OUTBOX_PURGED)
    assert row.data == {"mails": 2}
    assert "sanne" not in str(row.data)
    # Not twice.
    assert retention.purge_outbox() == 0


def test_a_run_that_fails_on_one_case_erases_the_others_and_leaves_it_due(world, monkeypatch):
    """Each case is its own transaction: an eraser that fails on one case (a fault put into the
    registry, as a crash would) rolls back that case only; the command says so and exits 1, and
    the next run erases it."""
    from kring.cases import registry

    stopped = world["stopped_due"]

    def fails_on_the_stopped_case(case):
        if case.pk == stopped.pk:
            raise RuntimeError("disk full")
        return 0

    monkeypatch.setattr(
        registry, "_case_erasers", [*registry._case_erasers, fails_on_the_stopped_case]
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("retention", stdout=io.StringIO(), stderr=err)

    assert exit_.value.code == 1
    assert "1 cases could not be erased" in err.getvalue() and str(stopped.pk) in err.getvalue()
    erased = {c.case_id for c in CaseErasure.objects.all()}
    assert erased == {world["closed_due"].pk, world["declined_due"].pk}
    stopped.referral.refresh_from_db()
    assert stopped.referral.description == ACCOUNTS["stopped_due"]  # rolled back, untouched
    assert [due.case_id for due in retention.due_cases()] == [stopped.pk]

    monkeypatch.undo()
    monkeypatch.setattr(timezone, "now", lambda: RUN)
    call_command("retention", stdout=io.StringIO())
    assert CaseErasure.objects.filter(case=stopped).exists()


def test_small_chunks_find_and_erase_the_same(world, clock):
    everything = {due.case_id for due in retention.due_cases()}
    assert {due.case_id for due in retention.due_cases(chunk=1)} == everything
    clock(TODAY)
    long_ago = TODAY - timedelta(days=91)
    for _ in range(3):
        _mail(OutgoingMail.Status.SENT, at=long_ago)
    assert retention.purge_outbox(chunk=2) == 3
    rows = AuditEvent.objects.filter(action=retention.OUTBOX_PURGED).order_by("pk")
    assert [row.data["mails"] for row in rows] == [2, 1]
