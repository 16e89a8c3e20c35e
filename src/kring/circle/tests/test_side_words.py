"""What the coordinator reads about a side of the circle before a date can be set (R9; issue 8,
point 6): "no person harmed takes part any more" only once someone harmed was in the circle and
none is left; before that, what is next."""

from kring.audit.actors import Actor
from kring.circle import actions, guards
from kring.circle.models import Mode


def test_before_anyone_harmed_is_added_it_says_so(preparing_case, daan):
    assert guards.both_sides_take_part(preparing_case) == "No person harmed is in the circle yet."


def test_before_the_harmed_person_is_invited_it_says_so(preparing_case, daan, sanne):
    assert guards.both_sides_take_part(preparing_case) == "No person harmed has been invited yet."


def test_once_invited_it_waits_for_the_answer(preparing_case, daan_acknowledged, sanne, carla):
    actions.invite(sanne, channel="letter", by=carla)

    assert (
        guards.both_sides_take_part(preparing_case)
        == "No person harmed has accepted the invitation yet."
    )


def test_only_when_every_person_harmed_stopped_no_one_takes_part_any_more(
    preparing_case, daan_acknowledged, sanne, carla
):
    actions.invite(sanne, channel="letter", by=carla)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))

    assert guards.both_sides_take_part(preparing_case) == "No person harmed takes part any more."


def test_the_responsible_side_is_read_the_same_way(preparing_case, daan_acknowledged, sanne, carla):
    actions.invite(sanne, channel="letter", by=carla)
    actions.respond(sanne, accepts=True, mode=Mode.PHONE, by=carla)

    assert (
        guards.both_sides_take_part(preparing_case) == "No person responsible has been invited yet."
    )


def test_with_both_sides_accepted_nothing_is_said(preparing_case, daan_acknowledged, sanne, carla):
    for person in (daan_acknowledged, sanne):
        actions.invite(person, channel="letter", by=carla)
        actions.respond(person, accepts=True, mode=Mode.PHONE, by=carla)

    assert guards.both_sides_take_part(preparing_case) is None
