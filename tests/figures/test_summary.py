"""The figures' summary (issue 15, point 4; research.summary, docs/adr/0017-figures-summary.md):
after every kind of change, made through Kring's own actions, the figures from the summary are
the figures from the rows (figures.compute == figures.compute_raw) for several selections, and
the buckets kept up to date change by change are the buckets a rebuild makes from the rows."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.actors import Actor
from kring.cases import actions as case_actions
from kring.cases.lifecycle import State
from kring.cases.models import Case, DeclineReason, StopReason
from kring.followup import closing
from kring.followup.models import Outcome
from kring.privacy import retention
from kring.referrals.actions import submit_referral
from kring.research import actions, importing, summary, tasks
from kring.research.figures import (
    FIRST_DAY,
    LAST_DAY,
    Selection,
    compute,
    compute_raw,
    raw_counts,
    team_count_keys,
)
from kring.research.models import (
    Bucket,
    CaseBucket,
    ConferenceRecord,
    Invitation,
    PresentCount,
    Round,
    Stale,
)
from kring.testing.factories import UserFactory

HISTORY = (
    "conference_ref,held_on,team,participants_present,role,"
    "satisfied,situation_restored,said_well,good_agreements\n"
    "H-1,{day},Team Utrecht,8,harmed,5,4,5,4\n"
    "H-1,{day},Team Utrecht,8,responsible,4,,,\n"
    "H-2,{day},Team Utrecht,6,supporter,2,,,\n"
    "H-3,{day},Team Zwolle,11,other,5,,,\n"
)


def selections(*teams) -> list[Selection]:
    """One month, a year, one team, several teams, every team, and every day Kring counts."""
    today = timezone.localdate()
    year = today - timedelta(days=365)
    ids = tuple(team.pk for team in teams)
    return [
        Selection(today, today),
        Selection(year, today),
        Selection(year, today, ids[:1]),
        Selection(year, today, ids),
        Selection(FIRST_DAY, LAST_DAY),
        Selection(FIRST_DAY, LAST_DAY, ids[1:]),
        Selection(date(2019, 1, 1), date(2019, 12, 31)),
    ]


def snapshot() -> tuple[list, list, list]:
    return (
        list(Bucket.objects.order_by("month", "team").values()),
        list(PresentCount.objects.order_by("month", "team", "present").values()),
        list(CaseBucket.objects.order_by("case_id").values_list("case_id", "team")),
    )


def no_ids(rows):
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def same(selection: Selection) -> None:
    """The figures from the summary are those from the rows, and so are the counts they are
    made of (the figures hide counts of 1 to 4, the counts do not)."""
    assert compute(selection) == compute_raw(selection), selection
    rows = raw_counts(selection, per_team=True)
    kept = summary.counts(selection, per_team=True)
    assert {key: kept.totals[key] for key in rows.totals} == rows.totals, selection
    assert kept.median == rows.median, selection
    # A team without a count is a team of zeros (figures._team_rows reads them so).
    keys = team_count_keys()
    for team in set(kept.per_team) | set(rows.per_team):
        assert {key: kept.per_team.get(team, {}).get(key, 0) for key in keys} == {
            key: rows.per_team.get(team, {}).get(key, 0) for key in keys
        }, selection


def agrees(*teams) -> None:
    """The figures from the summary are those from the rows; and the buckets kept change by
    change are those a rebuild makes."""
    for selection in selections(*teams):
        same(selection)
    assert not Stale.objects.exists()
    buckets, present, cases = snapshot()
    summary.rebuild()
    again, present_again, cases_again = snapshot()
    assert no_ids(again) == no_ids(buckets)
    assert no_ids(present_again) == no_ids(present)
    # A rebuild notes every case; marks only the cases that changed since.
    assert set(cases) <= set(cases_again)


def request(place: str = "") -> Case:
    """A request through the public form's action."""
    referral = submit_referral(
        {
            "requester_name": "Sara de Vries",
            "requester_email": "sara@example.org",
            "description": "Someone broke my window.",
            "place": place,
            "privacy_consent": True,
        },
        [{"name": "Tim", "side": "responsible"}],
        language="nl",
    )
    return referral.case


def test_every_kind_of_change_keeps_the_summary_equal_to_the_rows(
    following_up,
    carla,
    bram,
    mira,
    admin_user,
    other_team,
    sanne,
    daan,
    django_capture_on_commit_callbacks,
):
    """The case of the fixtures came through its actions to follow-up (requested, taken on,
    offered, accepted, the conference started, the plan signed: its record and invitations)."""
    team = following_up.team
    agrees(team, other_team)

    # A new request, without a team (the central inbox), then taken on: it moves from the
    # bucket of requests without a team into Team Utrecht's.
    first = request()
    assert first.team_id is None
    agrees(team, other_team)
    case_actions.take_on(first, by=bram)
    assert Case.objects.get(pk=first.pk).team_id == team.pk
    agrees(team, other_team)

    # Declined (a request without a team gets the office's), and stopped after taking on.
    declined = request()
    case_actions.decline(declined, reason=DeclineReason.OTHER_HELP, by=bram)
    agrees(team, other_team)
    stopped = case_actions.take_on(request(), by=bram)
    case_actions.stop(stopped, reason=StopReason.SAFETY, by=mira)
    assert Case.objects.get(pk=stopped.pk).state == State.STOPPED
    agrees(team, other_team)

    # Another team's office takes a request on.
    zwolle_office = UserFactory(username="zoe", role=Role.OFFICE, team=other_team)
    case_actions.take_on(request(), by=zwolle_office)
    agrees(team, other_team)

    # A questionnaire answered (the invitation's answered_at, a new answer).
    invitation = Invitation.objects.get(participant=sanne, round=Round.FIRST)
    actions.answer(
        invitation,
        {"satisfied": 5, "situation_restored": 4, "said_well": 3, "move_on": "yes"},
        by=Actor.in_portal(sanne),
    )
    agrees(team, other_team)
    # On paper, typed in by the coordinator.
    paper = Invitation.objects.get(participant=daan, round=Round.FIRST)
    actions.answer(paper, {"satisfied": 2, "relations_restored": "no"}, by=carla)
    agrees(team, other_team)

    # The case closed: every agreement kept (the funnel), the closing hook runs at commit.
    with django_capture_on_commit_callbacks(execute=True):
        closure = closing.close(following_up, outcome=Outcome.ALL_KEPT, by=carla)
    agrees(team, other_team)

    # The history imported by an administrator, for two teams.
    day = date(2019, 3, 28)
    result = importing.read(HISTORY.format(day=day).encode(), by=admin_user)
    assert result.ok, result.faults
    importing.run(result, by=admin_user)
    assert ConferenceRecord.objects.filter(held_on=day).count() == 3
    agrees(team, other_team)

    # The closed case erased when its retention has passed: the figures stay as they were.
    before = compute(Selection(FIRST_DAY, LAST_DAY))
    later = timezone.now() + timedelta(days=(closure.retain_until - date.today()).days + 2)
    assert retention.erase(following_up.pk, now=later) is not None
    agrees(team, other_team)
    assert compute(Selection(FIRST_DAY, LAST_DAY)) == before


def test_a_change_marks_only_its_own_buckets(following_up, bram, other_team):
    """A request makes one mark; the refresh recomputes its bucket and deletes the mark; the
    figures then need no refresh again."""
    compute(Selection(FIRST_DAY, LAST_DAY))
    assert not Stale.objects.exists()
    made = request()
    assert list(Stale.objects.values_list("case_id", flat=True)) == [made.pk]
    assert summary.refresh() == 1
    assert not Stale.objects.exists()
    assert CaseBucket.objects.get(case_id=made.pk).team == 0
    assert summary.refresh() == 0


def test_the_summary_outside_the_figures_is_not_read(following_up, other_team):
    """Without the marks the summary would be wrong: a row written around the actions is not
    seen until everything is marked stale (which is why data loaded around Kring rebuilds)."""
    team = following_up.team
    agrees(team, other_team)
    Case.objects.filter(pk=following_up.pk).update(state=State.STOPPED, stop_reason="other")
    everything = Selection(FIRST_DAY, LAST_DAY)
    assert compute(everything) != compute_raw(everything)
    summary.mark_everything()
    summary.refresh()
    same(everything)


def test_a_page_never_rebuilds_the_summary_it_reads_the_rows_meanwhile(following_up, other_team):
    """With everything stale (after the migration), compute() reads the rows and leaves the
    rebuild to the hourly task; incremental marks are refreshed as usual."""
    team = following_up.team
    Case.objects.filter(pk=following_up.pk).update(state=State.STOPPED, stop_reason="other")
    summary.mark_everything()
    everything = Selection(FIRST_DAY, LAST_DAY)
    assert compute(everything) == compute_raw(everything)
    assert Stale.objects.filter(case_id=None, month=None).exists()
    tasks.refresh_figures_summary.call_local()
    assert not Stale.objects.exists()
    agrees(team, other_team)


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_generated_data_from_the_summary_equals_the_rows(seed, settings):
    """Over a few hundred generated cases (kring.demo.generate rebuilds the summary at its
    end), after the rebuild and after changes made through the actions afterwards."""
    from kring.demo.generate import generate

    settings.DEMO_MODE = True
    facts = generate(300, seed=seed)
    assert facts["cases"] >= 300
    assert not Stale.objects.exists()
    from kring.accounts.models import Team

    teams = list(Team.objects.order_by("pk")[:3])
    every = selections(*teams)
    # Every team and every month of the generated years, month by month too.
    months = sorted({b.month for b in Bucket.objects.all()})
    every += [Selection(month, month) for month in months[:: max(1, len(months) // 12)]]
    every += [Selection(month, month, (teams[0].pk,)) for month in months[-6:]]
    for selection in every:
        same(selection)

    # Changes through the actions: requests taken on and declined, a case stopped.
    office = UserFactory(username="office-x", role=Role.OFFICE, team=teams[1])
    for case in Case.objects.filter(state=State.REQUESTED).order_by("pk")[:4]:
        if case.team_id in (None, teams[1].pk):
            case_actions.take_on(case, by=office)
    fresh = request()
    case_actions.decline(fresh, reason=DeclineReason.NO_HARM, by=office)
    for selection in every:
        same(selection)
    buckets, present, _cases = snapshot()
    summary.rebuild()
    assert no_ids(snapshot()[0]) == no_ids(buckets)
    assert no_ids(snapshot()[1]) == no_ids(present)


@pytest.mark.django_db(transaction=True)
def test_a_team_change_during_a_rebuild_is_counted_under_its_new_team_only(bram, monkeypatch):
    """On PostgreSQL (READ COMMITTED) a rebuild sees each statement's own snapshot: a request
    taken on (no team → Team Utrecht) while the rebuild counts must not stay counted in the
    bucket of requests without a team. SQLite's write lock keeps every change out of a rebuild."""
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite a rebuild holds the write lock: no change comes in between")
    first = request()
    assert first.team_id is None
    summary.rebuild()
    grouped = summary._grouped

    def counted_then_taken_on(*args, **kwargs):
        counted = grouped(*args, **kwargs)

        def take_on() -> None:
            try:
                case_actions.take_on(Case.objects.get(pk=first.pk), by=bram)
            finally:
                connection.close()  # this thread's own connection

        worker = threading.Thread(target=take_on)
        worker.start()
        worker.join()
        return counted

    monkeypatch.setattr(summary, "_grouped", counted_then_taken_on)
    summary.rebuild()
    monkeypatch.undo()
    assert Case.objects.get(pk=first.pk).team_id == bram.team_id
    assert Stale.objects.exists()  # the take-on's mark, for the next refresh
    for selection in selections(bram.team):
        same(selection)
