"""Issue 10, point 4, in a real browser, in Dutch, at tablet size (1024×768): nothing typed is
lost. Carla writes agreements while the page saves what she types; the network drops (Playwright's
offline mode), the page says so and keeps what she types, and once the connection is back every
word is in the database, a new agreement made offline only once. Then two devices edit the same
plan: the one that saved second is shown both texts and chooses, never a silent overwrite.
axe-core checks every page and every state shown."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.conference.models import Agreement, Plan
from tests.browser.conference import card
from tests.browser.conftest import TABLET
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor(context, axe, carla, authenticator, plan, *, device=None):
    page = axe.watch(context.new_page())
    log_in(page, carla, device or authenticator(carla), axe)
    page.goto(reverse("conference:plan", args=[plan.case_id]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        nl("Plan, case %(reference)s", reference="")
    )
    return page


def test_what_carla_types_while_the_network_is_down_is_sent_when_it_is_back(
    new_context, axe, authenticator, carla, plan, daan
):
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    axe.check(page)

    # A new agreement: saved while she types, its card becomes "Afspraak 1".
    new = card(page, nl("New agreement"))
    # Nothing to move or remove before it is saved.
    expect(new.get_by_role("button", name=nl("Remove this agreement"))).to_have_count(0)
    new.get_by_label(nl("What is agreed?")).fill("Daan betaalt de reparatie van de fiets.")
    first = card(page, nl("Agreement %(number)s", number=1))
    expect(first.get_by_role("status")).to_have_text(nl("Saved"))
    expect(first.get_by_role("button", name=nl("Remove this agreement"))).to_be_visible()
    first.get_by_label(nl("Who does it?")).select_option(label=daan.name)
    expect(first.get_by_role("status")).to_have_text(nl("Saved"))

    # The network drops: the page says so, and keeps what she types.
    context.set_offline(True)
    first.get_by_label(nl("How is it checked?")).fill("Sanne laat het Carla weten.")
    first.get_by_label(nl("This agreement prevents a repeat")).check()
    expect(
        page.get_by_role("status").filter(
            has_text=nl(
                "No connection. What you type is kept on this device and sent as soon as there is a "
                "connection again."
            )
        )
    ).to_be_visible()
    # And a second agreement, made offline.
    card(page, nl("New agreement")).get_by_label(nl("What is agreed?")).fill(
        "Daan zegt sorry tegen Sanne, in een brief."
    )
    second = card(page, nl("Agreement %(number)s", number=2))
    expect(second.get_by_role("status")).to_have_text(nl("Kept on this device, not sent yet"))
    axe.check(page)
    assert Agreement.objects.count() == 1
    assert Agreement.objects.get().how_checked == ""

    # Back online: everything is sent, in order, and each agreement is there once.
    context.set_offline(False)
    expect(first.get_by_role("status")).to_have_text(nl("Saved"))
    expect(second.get_by_role("status")).to_have_text(nl("Saved"))
    agreements = list(Agreement.objects.order_by("position"))
    assert [a.what for a in agreements] == [
        "Daan betaalt de reparatie van de fiets.",
        "Daan zegt sorry tegen Sanne, in een brief.",
    ]
    assert agreements[0].who == daan
    assert agreements[0].how_checked == "Sanne laat het Carla weten."
    assert agreements[0].prevents_repeat is True

    # Loaded again, the page shows what the database holds.
    page.reload()
    expect(
        card(page, nl("Agreement %(number)s", number=1)).get_by_label(nl("How is it checked?"))
    ).to_have_value("Sanne laat het Carla weten.")
    axe.check(page)
    axe.assert_no_violations()


def test_two_devices_editing_one_plan_get_a_conflict_to_resolve(
    new_context, axe, authenticator, carla, plan
):
    device = authenticator(carla)
    laptop = _editor(new_context(viewport=TABLET), axe, carla, authenticator, plan, device=device)
    tablet = _editor(new_context(viewport=TABLET), axe, carla, authenticator, plan, device=device)
    outcome = nl("In their own words")

    laptop.get_by_label(outcome).fill("Dat Daan sorry zegt. (laptop)")
    expect(laptop.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    # The tablet still shows the plan as it was loaded: its save is overtaken.
    tablet.get_by_label(outcome).fill("Dat Daan het begrijpt. (tablet)")
    keep_mine = tablet.get_by_role("button", name=nl("Keep my text"))
    expect(keep_mine).to_be_visible()
    alert = tablet.get_by_role("alert")
    expect(alert).to_contain_text("Dat Daan sorry zegt. (laptop)")
    expect(alert).to_contain_text("Dat Daan het begrijpt. (tablet)")
    axe.check(tablet)
    assert Plan.objects.get(pk=plan.pk).good_outcome == "Dat Daan sorry zegt. (laptop)"

    keep_mine.click()
    expect(tablet.get_by_role("alert")).to_have_count(0)
    expect(tablet.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).good_outcome == "Dat Daan het begrijpt. (tablet)"

    # Now the laptop is behind: it keeps the other text, and nothing is written.
    not_kept = nl("What happens when an agreement is not kept?")
    laptop.get_by_label(not_kept).fill("Dan belt Carla.")
    keep_other = laptop.get_by_role("button", name=nl("Keep the other text"))
    expect(keep_other).to_be_visible()
    keep_other.click()
    expect(laptop.get_by_label(outcome)).to_have_value("Dat Daan het begrijpt. (tablet)")
    expect(laptop.get_by_label(not_kept)).to_have_value("")
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.good_outcome, saved.if_not_kept) == ("Dat Daan het begrijpt. (tablet)", "")
    axe.check(laptop)

    # The two conflicts were answered 409 on purpose (conference.editing.Conflict): the answer
    # the page reads, not a file that failed to load.
    axe.browser_errors = [e for e in axe.browser_errors if " 409 for " not in e]
    axe.assert_no_violations()


def test_what_was_typed_offline_is_sent_when_the_page_is_opened_again(
    new_context, axe, authenticator, carla, plan
):
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    not_kept = nl("What happens when an agreement is not kept?")
    context.set_offline(True)
    page.get_by_label(not_kept).fill("Dan komen we opnieuw bij elkaar.")
    card(page, nl("New agreement")).get_by_label(nl("What is agreed?")).fill(
        "Daan helpt twee zaterdagen in de tuin."
    )
    expect(card(page, nl("Agreement %(number)s", number=1)).get_by_role("status")).to_have_text(
        nl("Kept on this device, not sent yet")
    )
    axe.check(page)
    # The tablet's page is closed before the connection returns; nothing was sent.
    page.close()
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "" and not Agreement.objects.exists()

    context.set_offline(False)
    again = axe.watch(context.new_page())
    again.goto(reverse("conference:plan", args=[plan.case_id]))
    first = card(again, nl("Agreement %(number)s", number=1))
    expect(first.get_by_role("status")).to_have_text(nl("Saved"))
    expect(again.get_by_label(not_kept)).to_have_value("Dan komen we opnieuw bij elkaar.")
    axe.check(again)
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "Dan komen we opnieuw bij elkaar."
    assert list(Agreement.objects.values_list("what", flat=True)) == [
        "Daan helpt twee zaterdagen in de tuin."
    ]
    axe.assert_no_violations()


def test_when_the_session_has_ended_the_page_keeps_what_was_typed_until_carla_is_back(
    new_context, axe, authenticator, carla, plan
):
    context = new_context(viewport=TABLET)
    device = authenticator(carla)
    page = _editor(context, axe, carla, authenticator, plan, device=device)
    # The session ended (timed out, or signed out elsewhere); the CSRF cookie stays.
    context.clear_cookies(name="sessionid")
    not_kept = nl("What happens when an agreement is not kept?")
    page.get_by_label(not_kept).fill("Dan belt Carla met Daan en zijn vader.")
    expect(
        page.get_by_role("status").filter(
            has_text=nl(
                "Not sent: you are no longer signed in. Sign in again in another window; what "
                "you typed stays on this device and is sent when this page is opened again."
            )
        )
    ).to_be_visible()
    axe.check(page)
    assert Plan.objects.get(pk=plan.pk).if_not_kept == ""

    again = _editor(context, axe, carla, authenticator, plan, device=device)
    expect(again.get_by_label(not_kept)).to_have_value("Dan belt Carla met Daan en zijn vader.")
    expect(again.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    axe.check(again)
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "Dan belt Carla met Daan en zijn vader."
    axe.assert_no_violations()
