"""The figures (R16, issue 13 point 2) from data with known answers: exact to one decimal, for
imported and live conferences alike, small groups suppressed, in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent, DeclineReason, StopReason
from kring.conference.models import Conference
from kring.followup.models import Closure, Outcome
from kring.referrals.models import Referral
from kring.research import figures as fig
from kring.research import summary
from kring.research.figures import Selection, as_json, as_rows
from kring.research.figures import compute as figures_compute
from kring.research.models import (
    Answer,
    AnswerRole,
    ConferenceRecord,
    Invitation,
    Round,
    Source,
)
from kring.scheduling.models import Meeting
from kring.testing.factories import CaseFactory, TeamFactory

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
DAY = date(2026, 5, 12)
# van Beek (2007), as the brochure quotes it: just over eight participants per conference.
PRESENT = [4, 5, 6, 7, 8, 9, 10, 11, 12, 12]  # sum 84: mean 8.4; middle 8 and 9: median 8.5


# --- making data, fast ----------------------------------------------------------------------------


def written():
    """Rows written straight into the tables, around Kring's actions: the figures' summary
    must be made again (research.summary), as after the generator."""
    summary.mark_everything()


def compute(selection):
    """The figures as the page reads them once the hourly task has rebuilt the summary after
    the rows written here (a page itself never rebuilds: it would read the rows meanwhile), so
    that these tests check the figures from the summary."""
    summary.refresh()
    return figures_compute(selection)


def imported(team, presents, *, held_on=DAY, ref="c"):
    """Imported conferences (no case), one per number of participants present."""
    written()
    return ConferenceRecord.objects.bulk_create(
        ConferenceRecord(
            source=Source.IMPORTED,
            import_ref=f"{ref}{i}",
            team=team,
            held_on=held_on,
            participants_present=present,
        )
        for i, present in enumerate(presents)
    )


def answer(records, role, rows, round=Round.FIRST):
    """One answer per dict of `rows`, spread over `records` in turn."""
    written()
    Answer.objects.bulk_create(
        Answer(record=records[i % len(records)], role=role, round=round, **values)
        for i, values in enumerate(rows)
    )


def times(n, **values):
    return [dict(values) for _ in range(n)]


def live_record(case, *, present, held_on=DAY):
    """The conference record of a live case (made when its plan was signed, or here)."""
    written()
    record, _ = ConferenceRecord.objects.get_or_create(
        case=case,
        defaults={
            "source": Source.LIVE,
            "team": case.team,
            "held_on": held_on,
            "participants_present": present,
        },
    )
    ConferenceRecord.objects.filter(pk=record.pk).update(
        held_on=held_on, participants_present=present
    )
    record.refresh_from_db()
    return record


def values(figures_tuple):
    return {f.key: f.value for f in figures_tuple}


def every_figure(figures):
    for key in fig.MAIN_KEYS:
        yield getattr(figures, key)
    for section in ("answers", "response_rates", "changes"):
        yield from getattr(figures, section)


# --- the known answers ----------------------------------------------------------------------------


@pytest.fixture(params=["imported only", "with a live conference"])
def van_beek(request, team):
    """Ten conferences of Team Utrecht held in 2026 with 84 participants present between them,
    either all ten imported or nine imported and Carla's live case (four present), and the
    answers to their first questionnaire:

    - 102 from persons responsible, 100 of them on "satisfied": 93 a 4 or 5;
    - 20 from persons harmed: 17 satisfied, 18 say the situation is restored, 19 that things
      were said well, 15 of 19 that good agreements were made; 13 can move on, 7 cannot;
    - 16 from family and friends: 1 of 16 says relations are better again (6.25%);
    - none from others.

    And what must not count: a second questionnaire, a conference of 2025, another team's."""
    if request.param == "imported only":
        records = imported(team, PRESENT)
    else:
        case = request.getfixturevalue("following_up")
        records = [live_record(case, present=4), *imported(case.team, PRESENT[1:])]
        team = case.team
    answer(
        records,
        AnswerRole.RESPONSIBLE,
        times(50, satisfied=5)
        + times(43, satisfied=4)
        + times(4, satisfied=3)
        + times(3, satisfied=1)
        + times(2, satisfied=None, move_on="na"),
    )
    answer(
        records,
        AnswerRole.HARMED,
        [
            {
                "satisfied": 5 if i < 10 else 4 if i < 17 else 2,
                "situation_restored": 4 if i < 18 else 3,
                "said_well": 5 if i < 19 else 1,
                "good_agreements": 4 if i < 15 else 3 if i < 19 else None,
                "move_on": "yes" if i < 13 else "no",
            }
            for i in range(20)
        ],
    )
    answer(
        records,
        AnswerRole.SUPPORTER,
        [{"satisfied": 5, "relations_restored": "yes" if i == 0 else "no"} for i in range(16)]
        + times(3, satisfied=5, relations_restored="na", less_afraid="na"),
    )
    # Not counted: the second questionnaire, 2025, another team.
    answer(records, AnswerRole.RESPONSIBLE, times(10, satisfied=1), round=Round.SECOND)
    old = imported(team, [40] * 5, held_on=date(2025, 12, 31), ref="old")
    answer(old, AnswerRole.RESPONSIBLE, times(10, satisfied=1))
    elsewhere = imported(TeamFactory(name="Team Zwolle"), [30] * 5, ref="z")
    answer(elsewhere, AnswerRole.HARMED, times(10, satisfied=1, situation_restored=1))
    return team


def test_known_answers_give_the_exact_figures_for_imported_and_live_conferences(van_beek):
    figures = compute(Selection(*YEAR, team_ids=(van_beek.pk,)))

    assert figures.conferences.value == 10
    assert figures.participants_mean.value == 8.4
    assert figures.participants_median.value == 8.5
    assert figures.responsible_satisfied_pct.value == 93.0
    assert figures.responsible_satisfied_pct.base == 100  # the two without an answer not counted
    assert figures.harmed_satisfied_pct.value == 85.0
    assert figures.harmed_restored_pct.value == 90.0
    assert figures.harmed_said_well_pct.value == 95.0
    assert figures.harmed_good_agreements_pct.value == 78.9  # 15 of 19
    assert values(figures.answers) == {
        "harmed": 20,
        "responsible": 102,
        "supporter": 19,
        "other": 0,
    }
    changes = {f.key: f for f in figures.changes}
    assert changes["relations_restored"].value == 6.3  # 6.25 rounds up, as people expect
    assert changes["move_on"].value == 65.0  # 13 of 20: "not applicable" is not counted
    assert changes["less_afraid"].value is None
    assert changes["less_afraid"].reason == "no answers yet"
    assert figures.team_names == ("Team Utrecht",)
    assert figures.teams == ()  # one team: no table per team
    assert not any(f.reason for f in every_figure(figures) if f.value is not None)


def test_the_median_of_an_odd_number_of_conferences_is_the_middle_one(team):
    imported(team, [2, 30, 3, 9, 4])

    figures = compute(Selection(*YEAR))

    assert figures.participants_median.value == 4.0
    assert figures.participants_mean.value == 9.6


def test_the_mean_rounds_half_up(team):
    imported(team, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3])  # 41 / 20 = 2.05

    assert compute(Selection(*YEAR)).participants_mean.value == 2.1


def test_as_json_has_the_required_keys_and_null_for_what_is_not_shown(van_beek):
    data = as_json(compute(Selection(*YEAR, team_ids=(van_beek.pk,))))

    assert {key: data[key] for key in fig.MAIN_KEYS} == {
        "conferences": 10,
        "participants_mean": 8.4,
        "participants_median": 8.5,
        "responsible_satisfied_pct": 93.0,
        "harmed_satisfied_pct": 85.0,
        "harmed_restored_pct": 90.0,
        "harmed_said_well_pct": 95.0,
        "harmed_good_agreements_pct": 78.9,
    }
    assert data["answers"] == {"harmed": 20, "responsible": 102, "supporter": 19, "other": 0}
    assert data["from"] == "2026-01-01"
    assert data["to"] == "2026-12-31"
    assert data["team"] == "Team Utrecht"
    assert data["changes"]["less_afraid"] is None
    assert data["suppressed"]["changes.less_afraid"] == "no answers yet"
    assert "conferences" not in data["suppressed"]


# --- small groups ---------------------------------------------------------------------------------


@pytest.fixture
def two_teams(team, other_team):
    """Team Utrecht with six conferences (eight present at each), Team Zwolle with four (nine
    present): both with ten satisfied answers of persons responsible and ten of persons harmed
    who say the situation is restored, and six of family saying relations are better."""
    for each, presents, ref in ((team, [8] * 6, "u"), (other_team, [9] * 4, "z")):
        records = imported(each, presents, ref=ref)
        answer(records, AnswerRole.RESPONSIBLE, times(10, satisfied=5))
        answer(records, AnswerRole.HARMED, times(10, satisfied=5, situation_restored=5))
        answer(records, AnswerRole.SUPPORTER, times(6, satisfied=4, relations_restored="yes"))
    return team, other_team


def test_a_team_with_four_conferences_shows_no_figure_of_them(two_teams):
    _utrecht, zwolle = two_teams

    figures = compute(Selection(*YEAR, team_ids=(zwolle.pk,)))

    shown = [f for f in every_figure(figures) if f.value is not None or not f.suppressed]
    assert shown == []
    assert {str(f.reason) for f in every_figure(figures)} == {"fewer than 5 conferences"}
    # Not even how many answers, nor how many conferences: the base is not given away.
    assert {f.base for f in every_figure(figures)} == {0}
    data = as_json(figures)
    assert data["conferences"] is None
    assert data["responsible_satisfied_pct"] is None
    assert data["harmed_restored_pct"] is None
    assert data["answers"] == {
        "harmed": None,
        "responsible": None,
        "supporter": None,
        "other": None,
    }
    assert data["suppressed"]["harmed_restored_pct"] == "fewer than 5 conferences"


def test_the_same_answers_from_five_conferences_are_shown(two_teams):
    utrecht, zwolle = two_teams
    imported(zwolle, [9], ref="fifth")

    figures = compute(Selection(*YEAR, team_ids=(zwolle.pk,)))

    assert figures.conferences.value == 5
    assert figures.participants_mean.value == 9.0
    assert figures.responsible_satisfied_pct.value == 100.0
    assert figures.harmed_restored_pct.value == 100.0


def test_every_team_shows_each_teams_row_with_the_small_team_suppressed(two_teams):
    figures = compute(Selection(*YEAR))

    assert figures.conferences.value == 10
    assert figures.participants_mean.value == 8.4  # (6 × 8 + 4 × 9) / 10
    assert figures.participants_median.value == 8.0
    rows = {row.team: row.figures for row in figures.teams}
    assert [f.key for f in rows["Team Utrecht"]] == list(fig.TEAM_KEYS)
    # Utrecht's 6 conferences at 8.0 next to the total of 10 at 8.4 would give Zwolle's 4 at 9.0
    # away: Utrecht's conferences and mean are hidden too. The shares stay: Zwolle's hidden 10
    # answers are not a small group.
    assert [f.value for f in rows["Team Utrecht"]] == [None, None, 100.0, 100.0]
    assert {str(f.reason) for f in rows["Team Utrecht"][:2]} == {
        "hidden so that a small team cannot be worked out"
    }
    assert [f.value for f in rows["Team Zwolle"]] == [None, None, None, None]
    assert {str(f.reason) for f in rows["Team Zwolle"]} == {"fewer than 5 conferences"}
    assert as_json(figures)["teams"] == [
        {
            "team": "Team Utrecht",
            "conferences": None,
            "participants_mean": None,
            "responsible_satisfied_pct": 100.0,
            "harmed_restored_pct": 100.0,
        },
        {
            "team": "Team Zwolle",
            "conferences": None,
            "participants_mean": None,
            "responsible_satisfied_pct": None,
            "harmed_restored_pct": None,
        },
    ]


def _hidden_remainder(figures, column: int, total: int) -> int:
    """What the total minus the bases of the teams shown leaves: what can be worked out."""
    return total - sum(row.figures[column].base for row in figures.teams)


def test_no_suppressed_team_can_be_worked_out_from_the_total_and_the_teams_shown(two_teams):
    """The reviewer's example: 10 conferences in all at a mean of 8.4; a third team of 7 keeps
    its row, the smallest shown team (Utrecht, 6) is hidden with Zwolle (4)."""
    third = TeamFactory(name="Team Amersfoort")
    imported(third, [10] * 7, ref="a")

    figures = compute(Selection(*YEAR))

    assert figures.conferences.value == 17
    rows = {row.team: row.figures for row in figures.teams}
    assert [f.value for f in rows["Team Amersfoort"][:2]] == [7, 10.0]
    assert [f.value for f in rows["Team Utrecht"][:2]] == [None, None]
    assert [f.value for f in rows["Team Zwolle"][:2]] == [None, None]
    # 17 − 7 = 10 conferences hidden: Zwolle's 4 cannot be told from Utrecht's 6, and their
    # mean (9.0 and 8.0) not from the 8.4 of both.
    remainder = _hidden_remainder(figures, 0, figures.conferences.value)
    assert remainder == 10
    assert remainder == 0 or remainder >= fig.MIN_GROUP
    for column, key in enumerate(fig.TEAM_KEYS[2:], start=2):
        total = getattr(figures, key).base
        assert _hidden_remainder(figures, column, total) in (0, *range(fig.MIN_GROUP, 1000))


def test_a_share_from_four_answers_is_not_shown_and_from_five_it_is(team):
    records = imported(team, [8] * 5)
    answer(records, AnswerRole.HARMED, times(4, satisfied=5, said_well=5))
    answer(records, AnswerRole.HARMED, times(1, satisfied=5))

    figures = compute(Selection(*YEAR))

    assert figures.harmed_satisfied_pct.value == 100.0  # 5 answers
    assert figures.harmed_said_well_pct.value is None  # 4 answers
    assert figures.harmed_said_well_pct.reason == "fewer than 5 answers"
    assert figures.responsible_satisfied_pct.value is None
    assert figures.responsible_satisfied_pct.reason == "no answers yet"
    assert values(figures.answers) == {"harmed": 5, "responsible": 0, "supporter": 0, "other": 0}


def test_a_period_without_conferences_shows_zero_and_says_why_the_rest_is_empty(team):
    imported(team, [8] * 5, held_on=date(2025, 6, 1))

    figures = compute(Selection(*YEAR))

    assert figures.conferences.value == 0
    assert figures.participants_mean.value is None
    assert figures.participants_mean.reason == "no conferences in this period"
    assert figures.harmed_restored_pct.reason == "no conferences in this period"
    assert values(figures.answers) == {"harmed": 0, "responsible": 0, "supporter": 0, "other": 0}


# --- response rates (live conferences only) -------------------------------------------------------


def live_cases(team, n):
    """`n` cases of `team`, each with a conference record (six present) and one person harmed,
    one responsible and one supporter."""
    from kring.circle.models import Participant

    written()
    cases = [CaseFactory(team=team, state=State.FOLLOWING_UP) for _ in range(n)]
    records = ConferenceRecord.objects.bulk_create(
        ConferenceRecord(
            source=Source.LIVE, case=case, team=team, held_on=DAY, participants_present=6
        )
        for case in cases
    )
    people = Participant.objects.bulk_create(
        Participant(case=case, name=f"{side} {case.pk}", side=side)
        for case in cases
        for side in ("harmed", "responsible", "supporter")
    )
    return records, people


def invite(records, people, *, answered):
    """Invite everyone to the first questionnaire; `answered`: {role: how many answered}."""
    done = dict(answered)
    now = timezone.now()
    rows = []
    for person in people:
        record = next(r for r in records if r.case_id == person.case_id)
        answered_at = now if done.get(person.side, 0) > 0 else None
        if answered_at:
            done[person.side] -= 1
        rows.append(
            Invitation(record=record, participant=person, role=person.side, answered_at=answered_at)
        )
    Invitation.objects.bulk_create(rows)
    # The second questionnaire, all answered: not counted.
    Invitation.objects.bulk_create(
        Invitation(
            record=next(r for r in records if r.case_id == person.case_id),
            participant=person,
            role=person.side,
            round=Round.SECOND,
            answered_at=now,
        )
        for person in people
    )


def test_response_rates_per_role_are_of_the_first_questionnaire(team):
    records, people = live_cases(team, 6)
    invite(records, people, answered={"harmed": 5, "responsible": 6, "supporter": 3})

    rates = {f.key: f for f in compute(Selection(*YEAR)).response_rates}

    assert rates["harmed"].value == 83.3
    assert rates["responsible"].value == 100.0
    # 3 of 6 sent: 50% "of 6 sent" would give the 3 answers away: hidden as a small number.
    assert rates["supporter"].value is None
    assert rates["supporter"].base == 0
    assert rates["supporter"].reason == "fewer than 5 answers"
    assert rates["other"].value is None
    assert rates["other"].reason == "no questionnaires sent yet"


def test_response_rates_of_four_live_conferences_are_not_shown_whatever_the_history(team):
    records, people = live_cases(team, 4)
    invite(records, people, answered={"harmed": 4, "responsible": 4, "supporter": 4})
    imported(team, [8] * 10)

    figures = compute(Selection(*YEAR))

    assert figures.conferences.value == 14
    assert {f.value for f in figures.response_rates} == {None}
    # Not "fewer than 5 conferences" next to the 14 shown: the history had no questionnaires.
    assert {str(f.reason) for f in figures.response_rates} == {
        "fewer than 5 conferences in Kring (no questionnaires were sent for earlier conferences)"
    }


def test_response_rates_of_imported_conferences_only_say_why(team):
    imported(team, [8] * 10)

    figures = compute(Selection(*YEAR))

    assert figures.conferences.value == 10
    assert {str(f.reason) for f in figures.response_rates} == {
        "fewer than 5 conferences in Kring (no questionnaires were sent for earlier conferences)"
    }


# --- the funnel -----------------------------------------------------------------------------------

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def amsterdam(*args):
    return datetime(*args, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def march_requests(team, other_team, carla):
    """The requests of March 2026 and how far each came (counts below), plus requests just
    outside March in Amsterdam, one without a team and one of another team."""

    def cases(n, state, submitted=None, team=team, **fields):
        submitted = submitted or amsterdam(2026, 3, 15, 12)
        made = [CaseFactory(team=team, state=state, **fields) for _ in range(n)]
        Referral.objects.filter(case__in=made).update(submitted_at=submitted)
        written()
        return made

    def hold(made, **closure):
        for case in made:
            meeting = Meeting.objects.create(case=case, created_by=carla, status="held")
            Conference.objects.create(
                case=case, meeting=meeting, created_by=carla, started_at=timezone.now()
            )
            if closure:
                Closure.objects.create(
                    case=case,
                    closed_at=timezone.now(),
                    closed_by=carla,
                    retain_until=date(2031, 1, 1),
                    **closure,
                )

    cases(2, State.REQUESTED)
    cases(5, State.DECLINED, decline_reason=DeclineReason.NOT_SUITABLE)
    cases(1, State.DECLINED, decline_reason=DeclineReason.DUPLICATE)
    cases(1, State.REFERRED)
    cases(2, State.PREPARING)
    cases(5, State.STOPPED, stop_reason=StopReason.NO_ACKNOWLEDGMENT)
    cases(1, State.STOPPED, stop_reason=StopReason.SAFETY)
    hold(cases(1, State.CONFERENCE_HELD))
    hold(cases(2, State.FOLLOWING_UP))
    hold(cases(5, State.CLOSED), outcome=Outcome.ALL_KEPT)
    hold(cases(1, State.CLOSED), outcome=Outcome.PARTLY_KEPT)
    # A meeting that did not take place is no conference held.
    stopped = cases(1, State.STOPPED, stop_reason=StopReason.NO_ACKNOWLEDGMENT)[0]
    Conference.objects.create(
        case=stopped,
        meeting=Meeting.objects.create(case=stopped, created_by=carla, status="cancelled"),
        created_by=carla,
        not_held_at=timezone.now(),
    )
    # On 1 March at half past midnight in Amsterdam (still 28 February in UTC): in March.
    cases(1, State.REQUESTED, submitted=amsterdam(2026, 3, 1, 0, 30))
    # Just outside March in Amsterdam: not counted.
    cases(1, State.REFERRED, submitted=amsterdam(2026, 2, 28, 23, 59))
    cases(1, State.REFERRED, submitted=amsterdam(2026, 4, 1, 0, 0))
    # Without a team yet, and of another team: counted for every team only.
    cases(1, State.REQUESTED, team=None)
    cases(1, State.REFERRED, team=other_team)


def test_the_funnel_counts_the_requests_of_the_period_and_how_far_they_came(march_requests, team):
    figures = compute(Selection(*MARCH, team_ids=(team.pk,)))

    assert values(figures.funnel) == {
        "requests": 28,
        "taken_on": 19,  # not the 3 new requests nor the 6 declined
        "conferences_held": 9,
        "plans_signed": 8,
        "plans_kept": 5,
    }
    # The one duplicate is hidden; the 5 not suitable too, or the total declined minus them
    # would give the one away.
    assert values(figures.declined) == {
        "not_suitable": None,
        "no_harm": 0,
        "outside_area": 0,
        "other_help": 0,
        "duplicate": None,
    }
    declined = {f.key: f for f in figures.declined}
    assert declined["duplicate"].reason == "fewer than 5 cases"
    assert declined["not_suitable"].reason == "hidden so that a small group cannot be worked out"
    assert values(figures.stopped) == {
        "no_acknowledgment": None,
        "harmed_declined": 0,
        "withdrawal": 0,
        "safety": None,
        "other": 0,
    }


def test_reasons_hidden_together_from_five_on_leave_the_others_shown(team):
    def declined(n, reason):
        made = [
            CaseFactory(team=team, state=State.DECLINED, decline_reason=reason) for _ in range(n)
        ]
        Referral.objects.filter(case__in=made).update(submitted_at=amsterdam(2026, 3, 9, 9))
        written()

    declined(3, DeclineReason.DUPLICATE)
    declined(2, DeclineReason.NO_HARM)
    declined(6, DeclineReason.NOT_SUITABLE)
    declined(7, DeclineReason.OTHER_HELP)

    shown = values(compute(Selection(*MARCH, team_ids=(team.pk,))).declined)

    # 3 + 2 hidden = 5: not a small group, nothing more to hide.
    assert shown == {
        "not_suitable": 6,
        "no_harm": None,
        "outside_area": 0,
        "other_help": 7,
        "duplicate": None,
    }


def test_a_case_taken_on_and_declined_after_counts_as_taken_on(team, carla):
    """REFERRED → DECLINED is allowed: the timeline's taking on counts, not the state."""
    made = [CaseFactory(team=team, state=State.DECLINED) for _ in range(5)]
    Referral.objects.filter(case__in=made).update(submitted_at=amsterdam(2026, 3, 9, 9))
    written()
    selection = Selection(*MARCH, team_ids=(team.pk,))
    assert values(compute(selection).funnel)["taken_on"] == 0

    for case in made:
        CaseEvent.objects.create(
            case=case, at=timezone.now(), kind="case.taken_on", actor_kind="staff", actor=carla
        )
    written()

    assert values(compute(selection).funnel)["taken_on"] == 5


def test_the_funnel_of_every_team_counts_requests_without_a_team_too(march_requests):
    funnel = values(compute(Selection(*MARCH)).funnel)

    assert funnel["requests"] == 30
    assert funnel["taken_on"] == 20


def test_a_funnel_of_four_requests_is_not_shown(team):
    made = [CaseFactory(team=team) for _ in range(4)]
    Referral.objects.filter(case__in=made).update(submitted_at=amsterdam(2026, 3, 2, 9))
    written()

    requests = compute(Selection(*MARCH)).funnel[0]

    assert requests.value is None
    assert requests.reason == "fewer than 5 requests"
    assert Case.objects.count() == 4


# --- a table --------------------------------------------------------------------------------------


def test_as_rows_is_a_table_with_empty_cells_where_a_figure_is_not_shown(two_teams):
    rows = as_rows(compute(Selection(*YEAR)))

    assert rows[0] == ["section", "key", "label", "value", "base", "reason"]
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert by_key[("conferences", "conferences")] == [
        "conferences",
        "conferences",
        "Conferences held",
        10,
        10,
        "",
    ]
    assert by_key[("shares", "harmed_restored_pct")][3:] == [100.0, 20, ""]
    assert by_key[("teams", "Team Zwolle.harmed_restored_pct")] == [
        "teams",
        "Team Zwolle.harmed_restored_pct",
        "Team Zwolle: Share of persons harmed who say the situation is restored",
        None,
        None,
        "fewer than 5 conferences",
    ]
    sections = {row[0] for row in rows[1:]}
    assert sections == {
        "conferences",
        "shares",
        "answers",
        "response_rates",
        "changes",
        "funnel",
        "declined",
        "stopped",
        "teams",
    }


# --- in SQL, in a fixed number of queries ---------------------------------------------------------


def _data(team, other_team, n):
    for each, ref in ((team, "u"), (other_team, "z")):
        records = imported(each, [2 + i % 9 for i in range(n)], ref=ref)
        answer(records, AnswerRole.RESPONSIBLE, times(3 * n, satisfied=4))
        answer(records, AnswerRole.HARMED, times(2 * n, satisfied=5, situation_restored=4))


def test_the_number_of_queries_does_not_grow_with_the_data(team, other_team):
    """Neither the figures from an up-to-date summary nor the rebuild of the summary from the
    rows (research.summary) take more queries for more data."""

    def queries():
        with CaptureQueriesContext(connection) as rebuilding:
            summary.refresh()
        with CaptureQueriesContext(connection) as captured:
            figures_compute(Selection(*YEAR))
        return len(rebuilding.captured_queries), len(captured.captured_queries)

    _data(team, other_team, 5)
    small = queries()
    ConferenceRecord.objects.all().delete()
    _data(team, other_team, 50)
    large = queries()

    assert small == large
    # Nothing stale: one query asks whether anything is, then the teams, the totals, the
    # teams' rows and the median.
    assert large[1] <= 5
    assert compute(Selection(*YEAR)).conferences.value == 100


def test_a_day_is_counted_from_its_first_to_its_last_day_inclusive(team):
    imported(team, [8] * 5, held_on=date(2026, 1, 1), ref="first")
    imported(team, [8] * 5, held_on=date(2026, 12, 31), ref="last")
    imported(team, [8] * 5, held_on=date(2027, 1, 1), ref="after")

    assert compute(Selection(*YEAR)).conferences.value == 10
    assert compute(Selection(date(2026, 1, 1), date(2026, 1, 1))).conferences.value == 5
    assert compute(Selection(YEAR[1] + timedelta(days=1), date(2027, 1, 1))).conferences.value == 5


# --- whole months ---------------------------------------------------------------------------------


def test_two_periods_a_day_apart_within_a_month_give_the_same_figures(team):
    """Each figure shows its base: periods one day apart would isolate the conference of that
    day. Periods are whole months, so they give the same."""
    imported(team, [8] * 6, held_on=date(2026, 5, 11), ref="a")
    imported(team, [12] * 1, held_on=date(2026, 5, 12), ref="b")

    wide = compute(Selection(date(2026, 5, 11), date(2026, 5, 31), team_ids=(team.pk,)))
    narrow = compute(Selection(date(2026, 5, 12), date(2026, 5, 31), team_ids=(team.pk,)))

    assert as_json(wide) == as_json(narrow)
    assert as_json(narrow)["from"] == "2026-05-01"
    assert as_json(narrow)["to"] == "2026-05-31"
    assert narrow.conferences.value == 7


def test_a_selection_snaps_to_whole_months():
    selection = Selection(date(2024, 2, 10), date(2024, 2, 11))

    assert (selection.start, selection.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert Selection(date(2100, 12, 5), date(2100, 12, 5)).end == date(2100, 12, 31)


def test_as_rows_quotes_text_a_spreadsheet_would_run(two_teams):
    utrecht, _zwolle = two_teams
    utrecht.name = '=HYPERLINK("http://x","y")'
    utrecht.save(update_fields=["name"])

    rows = as_rows(compute(Selection(*YEAR)))

    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert '\'=HYPERLINK("http://x","y").conferences' in cells
    assert not any(cell.startswith(fig.FORMULA_STARTS) for cell in cells)
