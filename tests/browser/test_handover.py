"""A coordinator who falls ill during the preparation is replaced (R2): Carla hands the case
back with a reason, from the keyboard; the manager offers it to Olaf; Olaf accepts with his
declaration of independence and finds the circle as Carla left it. Axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.cases import actions as case_actions
from kring.circle import actions as circle_actions
from kring.testing import people
from kring.testing.factories import ReferralFactory
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_in_preparation_gets_a_new_coordinator(
    new_context, live_server, axe, authenticator, bram, carla, olaf, mira
):
    case = case_actions.open_case(ReferralFactory())
    case_actions.take_on(case, by=bram)
    case_actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    offer = case.assignments.get(coordinator=carla, status="offered")
    case_actions.accept_assignment(offer, declares_independence=True, by=carla)
    circle_actions.start_preparation(case, by=carla)
    circle_actions.add_participant(
        case, by=carla, name=people.DAAN.name, side="responsible", email=people.DAAN.email
    )

    # --- Carla hands the case back, with the keyboard only ------------------------------
    coordinator = axe.watch(new_context().new_page())
    log_in(coordinator, carla, authenticator(carla), axe)
    coordinator.goto(reverse("cases:detail", args=[case.pk]))
    hand_back = coordinator.get_by_role("link", name=nl("Hand the case back"))
    hand_back.focus()
    coordinator.keyboard.press("Enter")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Hand case %(ref)s back", ref=case.reference)
    )
    axe.check(coordinator)
    # Sent without a reason: the error summary says what is missing.
    coordinator.get_by_role("button", name=nl("Hand the case back")).click()
    expect(coordinator.get_by_role("alert")).to_contain_text(
        nl("Choose the reason for handing the case back.")
    )
    axe.check(coordinator)
    reason = coordinator.get_by_role("radio", name=nl("I am ill or away for a longer time"))
    reason.focus()
    coordinator.keyboard.press("Space")
    coordinator.get_by_role("button", name=nl("Hand the case back")).press("Enter")
    expect(coordinator.get_by_role("status")).to_contain_text(
        nl("You have handed the case back. The office finds another coordinator.")
    )
    axe.check(coordinator)
    # Her access has ended.
    response = coordinator.goto(reverse("cases:detail", args=[case.pk]))
    assert response is not None and response.status == 404
    axe.check(coordinator)

    # --- Mira sees that the case waits for a coordinator, and offers it to Olaf ---------
    manager = axe.watch(new_context().new_page())
    log_in(manager, mira, authenticator(mira), axe)
    manager.goto(reverse("cases:detail", args=[case.pk]))
    expect(manager.get_by_role("note")).to_contain_text(nl("This case has no coordinator now."))
    axe.check(manager)
    manager.get_by_role("link", name=nl("Offer to a coordinator")).click()
    manager.get_by_label(nl("Coordinator")).select_option(label=str(olaf))
    axe.check(manager)
    manager.get_by_role("button", name=nl("Offer the case")).click()
    expect(manager.get_by_role("status")).to_be_visible()
    axe.check(manager)

    # --- Olaf accepts with his declaration, and finds Daan in the circle ----------------
    colleague = axe.watch(new_context().new_page())
    log_in(colleague, olaf, authenticator(olaf), axe)
    colleague.goto(reverse("cases:offer", args=[case.pk]))
    axe.check(colleague)
    colleague.get_by_role("checkbox").check()
    colleague.get_by_role("button", name=nl("Accept the case")).click()
    expect(colleague.get_by_role("status")).to_contain_text(nl("You have accepted the case."))
    axe.check(colleague)
    colleague.get_by_role("link", name=nl("The circle: people, conversations, consent")).click()
    expect(colleague.get_by_role("heading", name=people.DAAN.name)).to_be_visible()
    axe.check(colleague)

    axe.assert_no_violations()
