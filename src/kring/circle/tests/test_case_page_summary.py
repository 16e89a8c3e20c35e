"""The case page at a glance (issue 8, point 9): how far preparation has come, as counts, and
for the coordinator and the team's manager whether a high risk is open: its level, never what
it is about. The office sees the counts, not the risk."""

from django.urls import reverse

from kring.circle import actions
from kring.circle.models import Answer, Mode, RiskFlag
from kring.circle.tests.conftest import acknowledge

RIGHTS = {"legal_advice": Answer.NO, "interpreter": Answer.NO, "support_person": Answer.NO}


def _page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_manager_sees_the_counts_and_an_open_high_risk_but_not_what_it_is(
    as_user, carla, mira, bram, preparing_case, daan, sanne
):
    acknowledge(daan, by=carla)
    actions.give_consent(daan, mode=Mode.PAPER, by=carla, **RIGHTS)
    actions.flag_risk(
        preparing_case,
        kind=RiskFlag.Kind.STALKING,
        level=RiskFlag.Level.HIGH,
        assessment="Hij wacht haar op bij school",
        by=carla,
    )
    manager = _page(as_user(mira), preparing_case)
    assert "Acknowledged their part: 1 of 1 persons responsible." in manager
    assert "Gave consent: 1 of 2 people who take part." in manager
    assert "A high risk is open in the safety check." in manager
    assert "Hij wacht haar op" not in manager and "Stalking" not in manager
    office = _page(as_user(bram), preparing_case)
    assert "Gave consent: 1 of 2 people who take part." in office
    assert "A high risk is open" not in office


def test_a_resolved_or_lower_risk_is_not_shown_as_open(as_user, carla, mira, preparing_case, daan):
    flag = actions.flag_risk(
        preparing_case,
        kind=RiskFlag.Kind.OTHER,
        level=RiskFlag.Level.HIGH,
        assessment="x",
        by=carla,
    )
    actions.flag_risk(
        preparing_case,
        kind=RiskFlag.Kind.OTHER,
        level=RiskFlag.Level.MEDIUM,
        assessment="y",
        by=carla,
    )
    assert "A high risk is open" in _page(as_user(mira), preparing_case)
    actions.resolve_risk(flag, resolution="Afspraken gemaakt", by=carla)
    assert "A high risk is open" not in _page(as_user(mira), preparing_case)
