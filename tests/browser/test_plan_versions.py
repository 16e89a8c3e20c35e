"""Issue 10, points 5 and 6, in a real browser, in Dutch, at tablet size (1024×768): Carla reads
what the plan still needs, makes it final, reads version 1 with its fingerprint, changes the plan
(through the editor's own actions) and makes version 2, which says what changed; then the
informal part. And a meeting that did not take place (it began an hour ago): recorded, the case
back in preparation.
axe-core checks every page."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.cases.lifecycle import State
from kring.conference import editing
from kring.conference.models import NotHeldReason, PlanVersion
from kring.conference.tests.conftest import meeting_an_hour_ago  # noqa: F401  (a fixture)
from tests.browser.conftest import TABLET
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_carla_makes_the_plan_final_changes_it_and_makes_version_2(
    new_context, axe, authenticator, carla, plan, daan, joost
):
    page = axe.watch(new_context(viewport=TABLET).new_page())
    log_in(page, carla, authenticator(carla), axe)

    # Not complete yet: the page says what is still needed, and offers no button.
    page.goto(reverse("conference:finalise", args=[plan.case_id]))
    needed = page.get_by_role("region", name=nl("Before the plan can be final it still needs:"))
    expect(needed).to_contain_text(nl("an agreement that prevents a repeat"))
    expect(needed).to_contain_text(nl("an evaluation date"))
    expect(needed).to_contain_text(nl("what happens when an agreement is not kept"))
    expect(page.get_by_role("button", name=nl("Make the plan final"))).to_have_count(0)
    axe.check(page)

    editing.add_agreement(
        plan,
        what="Daan fietst voortaan om via de Kerkstraat.",
        who=daan,
        for_whom="Sanne",
        prevents_repeat=True,
        by=carla,
    )
    plan.refresh_from_db()
    editing.save_plan_fields(
        plan,
        revision=plan.revision,
        evaluation_date=date(2027, 9, 16),
        if_not_kept="Dan belt Carla iedereen en praten we opnieuw.",
        by=carla,
    )
    page.reload()
    expect(page.get_by_role("heading", level=2, name=nl("This becomes version 1"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Daan fietst voortaan om via de Kerkstraat.")
    axe.check(page)
    page.get_by_role("button", name=nl("Make the plan final")).click()

    expect(
        page.get_by_text(nl("Version %(number)s of the plan is final.", number=1))
    ).to_be_visible()
    expect(page.get_by_text(nl("The plan is final: version %(number)s.", number=1))).to_be_visible()
    version = PlanVersion.objects.get()
    expect(page.get_by_text(version.content_hash[:12], exact=True)).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name=nl("Read version %(number)s", number=1)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Version %(number)s", number=1))
    expect(page.get_by_role("main")).to_contain_text("Daan fietst voortaan om via de Kerkstraat.")
    axe.check(page)

    # A change after version 1 makes a draft of version 2.
    editing.add_agreement(
        plan, what="Joost helpt Daan met een bijbaan.", who=joost, for_whom="Daan", by=carla
    )
    page.goto(reverse("conference:versions", args=[plan.case_id]))
    expect(page.get_by_role("main")).to_contain_text(
        nl(
            "The plan has changed since version %(number)s: it is a draft of version %(next)s. "
            "Signatures of version %(number)s do not count for the new version.",
            number=1,
            next=2,
        )
    )
    axe.check(page)
    page.get_by_role("button", name=nl("Make version %(next)s final", next=2)).click()
    expect(
        page.get_by_text(nl("Version %(number)s of the plan is final.", number=2))
    ).to_be_visible()
    added = nl(
        "Agreement %(number)s added: %(what)s", number=2, what="Joost helpt Daan met een bijbaan."
    )
    expect(page.get_by_text(added, exact=True)).to_be_visible()
    axe.check(page)

    # After the plan: the informal part.
    page.get_by_role("button", name=nl("The informal part begins")).click()
    expect(page.get_by_text(nl("The informal part has begun."))).to_be_visible()
    axe.check(page)
    axe.assert_no_violations()


@pytest.mark.usefixtures("meeting_an_hour_ago")
def test_carla_records_that_the_conference_did_not_go_on(
    new_context, axe, authenticator, carla, scheduled_case
):
    page = axe.watch(new_context(viewport=TABLET).new_page())
    log_in(page, carla, authenticator(carla), axe)
    page.goto(reverse("conference:not_held", args=[scheduled_case.pk]))
    axe.check(page)
    page.get_by_role("button", name=nl("Record that the conference did not go on")).click()
    # Nothing chosen: the errors are named, and nothing changed.
    expect(page.get_by_role("alert")).to_contain_text(
        nl("Choose why the conference did not go on.")
    )
    axe.check(page)
    page.get_by_label(str(nl(NotHeldReason.HARMED_ABSENT.label))).check()
    page.get_by_label(nl("Back to preparation, to find a new date")).check()
    page.get_by_role("button", name=nl("Record that the conference did not go on")).click()
    expect(
        page.get_by_text(
            nl(
                "Recorded: the conference did not go on. The case is back in preparation: "
                "find a new date."
            )
        )
    ).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(nl("The conference did not go on"))
    axe.check(page)
    scheduled_case.refresh_from_db()
    assert scheduled_case.state == State.PREPARING
    axe.assert_no_violations()
