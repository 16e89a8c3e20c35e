"""Issue 10, point 4, in a real browser, in Dutch, at tablet size (1024×768): nothing Carla types
in the plan editor is lost, in the ways a review of the editor's script found it could be: one
wrong field in a save sent later, a row removed on another device, a conflict taking the keys
she types, the page closed at once, a server briefly not answering, a move clicked while saves
wait, and a double click without script. What stays on the device is tied to her and cleared
when she signs out. axe-core checks every state shown."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.conference import editing
from kring.conference.models import Agreement, Plan
from kring.testing.auth import force_verified_login
from tests.browser.conference import card
from tests.browser.conftest import TABLET
from tests.browser.ui import log_in, nl

browser = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "Kept on this device, not sent yet"
OFFLINE = (
    "No connection. What you type is kept on this device and sent as soon as there is a "
    "connection again."
)


def _editor(context, axe, carla, authenticator, plan, *, device=None):
    page = axe.watch(context.new_page())
    log_in(page, carla, device or authenticator(carla), axe)
    page.goto(reverse("conference:plan", args=[plan.case_id]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        nl("Plan, case %(reference)s", reference="")
    )
    return page


def _agreement(plan, carla, what="Daan betaalt de reparatie van de fiets."):
    return editing.add_agreement(plan, what=what, by=carla)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_date_does_not_take_the_other_words_of_the_save_with_it(
    new_context, axe, authenticator, carla, plan
):
    agreement = _agreement(plan, carla)
    day = editing.meeting_day(plan.conference)
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    first = card(page, nl("Agreement %(number)s", number=1))

    # Offline, two fields of one card wait as one save; one of them is wrong.
    context.set_offline(True)
    first.get_by_label(nl("How is it checked?")).fill("Hoe controleren we het?")
    expect(first.get_by_role("status")).to_have_text(nl(WAITING))
    when = first.get_by_label(nl("By when?"))
    when.fill((day - timedelta(days=1)).isoformat())
    context.set_offline(False)

    # The date is refused at its field (linked to it); the other words are saved all the same.
    expect(when).to_have_attribute("aria-invalid", "true")
    error = first.locator(".field-error")
    expect(error).to_have_count(1)
    expect(when).to_have_attribute("aria-describedby", re.compile(error.get_attribute("id")))
    expect(first.get_by_role("status")).to_have_text(nl("Not saved: see the message above."))
    axe.check(page)
    agreement.refresh_from_db()
    assert (agreement.how_checked, agreement.by_when) == ("Hoe controleren we het?", None)

    # Corrected: saved, the message gone; after a reload both are there.
    when.fill(day.isoformat())
    expect(first.get_by_role("status")).to_have_text(nl("Saved"))
    expect(first.locator(".field-error")).to_have_count(0)
    expect(when).not_to_have_attribute("aria-invalid", "true")
    page.reload()
    again = card(page, nl("Agreement %(number)s", number=1))
    expect(again.get_by_label(nl("How is it checked?"))).to_have_value("Hoe controleren we het?")
    expect(again.get_by_label(nl("By when?"))).to_have_value(day.isoformat())
    axe.check(page)
    agreement.refresh_from_db()
    assert (agreement.how_checked, agreement.by_when) == ("Hoe controleren we het?", day)
    axe.browser_errors = [e for e in axe.browser_errors if " 400 for " not in e]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_what_carla_types_in_an_agreement_removed_elsewhere_is_offered_back(
    new_context, axe, authenticator, carla, plan
):
    agreement = _agreement(plan, carla)
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    first = card(page, nl("Agreement %(number)s", number=1))
    # Another device removes it while this page still shows it.
    editing.remove_agreement(agreement, revision=agreement.revision, by=carla)

    first.get_by_label(nl("How is it checked?")).fill("Sanne belt Carla na een maand.")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        nl("This was removed on another device in the meantime. Your text is below.")
    )
    add_again = page.get_by_role("button", name=nl("Add it again as a new agreement"))
    expect(add_again).to_be_visible()
    # The focus stays in the field she types in: her keys never choose.
    expect(first.get_by_label(nl("How is it checked?"))).to_be_focused()
    axe.check(page)

    # Kept on the device until she chooses: a reload offers it again.
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text(
        nl("This was removed on another device in the meantime. Your text is below.")
    )
    expect(page.get_by_label(nl("How is it checked?")).first).to_have_value(
        "Sanne belt Carla na een maand."
    )
    page.get_by_role("button", name=nl("Add it again as a new agreement")).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(card(page, nl("Agreement %(number)s", number=1)).get_by_role("status")).to_have_text(
        nl("Saved")
    )
    made = Agreement.objects.get()
    assert made.pk != agreement.pk
    assert (made.what, made.how_checked) == (
        "Daan betaalt de reparatie van de fiets.",
        "Sanne belt Carla na een maand.",
    )
    axe.check(page)
    axe.browser_errors = [e for e in axe.browser_errors if " 404 for " not in e]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_removed_agreement_s_text_can_be_thrown_away(
    new_context, axe, authenticator, carla, plan
):
    agreement = _agreement(plan, carla)
    page = _editor(new_context(viewport=TABLET), axe, carla, authenticator, plan)
    editing.remove_agreement(agreement, revision=agreement.revision, by=carla)
    first = card(page, nl("Agreement %(number)s", number=1))
    first.get_by_label(nl("How is it checked?")).fill("Niet meer nodig.")
    page.get_by_role("button", name=nl("Throw it away")).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("heading", name=nl("Agreements"))).to_be_focused()
    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    axe.check(page)
    assert not Agreement.objects.exists()
    axe.browser_errors = [e for e in axe.browser_errors if " 404 for " not in e]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_conflict_does_not_take_the_keys_carla_is_typing(
    new_context, axe, authenticator, carla, plan
):
    device = authenticator(carla)
    laptop = _editor(new_context(viewport=TABLET), axe, carla, authenticator, plan, device=device)
    tablet = _editor(new_context(viewport=TABLET), axe, carla, authenticator, plan, device=device)
    outcome = nl("In their own words")
    laptop.get_by_label(outcome).fill("Dat Daan sorry zegt. (laptop)")
    expect(laptop.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    axe.check(laptop)

    field = tablet.get_by_label(outcome)
    field.fill("Dat Daan het begrijpt.")
    expect(tablet.get_by_role("button", name=nl("Keep my text"))).to_be_visible()
    # Still in her field: Space and Enter type, they do not choose for her.
    expect(field).to_be_focused()
    tablet.keyboard.press("Space")
    tablet.keyboard.press("Enter")
    tablet.keyboard.type("En dat hij het meent.")
    expect(field).to_have_value("Dat Daan het begrijpt. \nEn dat hij het meent.")
    expect(tablet.get_by_role("alert")).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).good_outcome == "Dat Daan sorry zegt. (laptop)"
    axe.check(tablet)

    tablet.get_by_role("button", name=nl("Keep my text")).click()
    expect(tablet.get_by_role("alert")).to_have_count(0)
    expect(tablet.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).good_outcome == (
        "Dat Daan het begrijpt. \nEn dat hij het meent."
    )
    axe.browser_errors = [e for e in axe.browser_errors if " 409 for " not in e]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_words_typed_just_before_the_page_is_closed_are_kept_and_sent(
    new_context, axe, authenticator, carla, plan
):
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    axe.check(page)
    not_kept = nl("What happens when an agreement is not kept?")
    # Offline, so that only this device can keep them; the page closes at once after typing.
    context.set_offline(True)
    page.get_by_label(not_kept).fill("Dan komen we opnieuw bij elkaar.")
    # The close is asked for and then happens on its own: wait until the page is gone (its
    # pagehide has run) before touching the context again, or the two race.
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert Plan.objects.get(pk=plan.pk).if_not_kept == ""

    again = axe.watch(context.new_page())
    context.set_offline(False)
    again.goto(reverse("conference:plan", args=[plan.case_id]))
    expect(again.get_by_label(not_kept)).to_have_value("Dan komen we opnieuw bij elkaar.")
    expect(again.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "Dan komen we opnieuw bij elkaar."
    axe.check(again)
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_server_that_briefly_does_not_answer_is_tried_again(
    new_context, axe, authenticator, carla, plan
):
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    save = reverse("conference:plan_save", args=[plan.case_id])
    # The server is being restarted: the proxy answers 502 with a page of its own, twice.
    failures = []

    def restarting(route):
        if len(failures) < 2:
            failures.append(route.request.url)
            route.fulfill(status=502, content_type="text/html", body="<h1>Bad gateway</h1>")
        else:
            route.continue_()

    page.route(f"**{save}", restarting)
    not_kept = nl("What happens when an agreement is not kept?")
    page.get_by_label(not_kept).fill("Dan belt Carla.")
    expect(page.get_by_role("status").filter(has_text=nl(OFFLINE))).to_be_visible()
    # Not taken for "signed out": it is sent by itself once the server answers.
    expect(page.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible(
        timeout=20_000
    )
    assert len(failures) == 2
    axe.check(page)
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "Dan belt Carla."
    axe.browser_errors = [e for e in axe.browser_errors if " 502 for " not in e]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_move_clicked_while_saves_wait_follows_once_they_are_sent(
    new_context, axe, authenticator, carla, plan
):
    _agreement(plan, carla, "Eerst dit.")
    _agreement(plan, carla, "Dan dat.")
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    first = card(page, nl("Agreement %(number)s", number=1))
    context.set_offline(True)
    first.get_by_label(nl("For whom?")).fill("Voor Sanne")
    first.get_by_role("button", name=nl("Move down")).click()
    expect(first.get_by_role("status")).to_have_text(
        nl("This happens as soon as everything typed is saved.")
    )
    axe.check(page)
    assert list(Agreement.objects.order_by("position").values_list("what", flat=True)) == [
        "Eerst dit.",
        "Dan dat.",
    ]

    context.set_offline(False)
    expect(
        card(page, nl("Agreement %(number)s", number=2)).get_by_label(nl("What is agreed?"))
    ).to_have_value("Eerst dit.")
    axe.check(page)
    rows = list(Agreement.objects.order_by("position").values_list("what", "for_whom"))
    assert rows == [("Dan dat.", ""), ("Eerst dit.", "Voor Sanne")]
    axe.assert_no_violations()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_what_is_kept_on_the_device_is_carla_s_and_goes_when_she_signs_out(
    new_context, axe, authenticator, carla, plan
):
    context = new_context(viewport=TABLET)
    page = _editor(context, axe, carla, authenticator, plan)
    axe.check(page)
    context.set_offline(True)
    page.get_by_label(nl("What happens when an agreement is not kept?")).fill("Dan belt Carla.")
    expect(page.get_by_role("status").filter(has_text=nl(OFFLINE))).to_be_visible()
    keys = page.evaluate("Object.keys(localStorage)")
    assert keys == [f"kring-plan-{plan.pk}-{carla.pk}"]
    context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text=nl("Saved")).first).to_be_visible()

    page.get_by_role("button", name=re.compile(nl("Log out"))).click()
    expect(page.get_by_role("button", name=re.compile(nl("Log out")))).to_have_count(0)
    assert page.evaluate("Object.keys(localStorage)") == []
    axe.check(page)
    axe.assert_no_violations()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, fields", [("agreement", {"what": "Twee keer?"}), ("idea", {"text": "Een idee"})]
)
def test_a_double_click_without_script_makes_one_row(client, plan, carla, kind, fields):
    force_verified_login(client, carla)
    page = client.get(reverse("conference:plan", args=[plan.case_id])).content.decode()
    add = reverse(f"conference:{kind}_add", args=[plan.case_id])
    form = re.search(rf'<form[^>]*action="{re.escape(add)}".*?</form>', page, re.S).group(0)
    client_id = re.search(r'name="client_id" value="([^"]+)"', form).group(1)
    assert len(client_id) == 36
    post = {"revision": "0", "client_id": client_id, **fields}
    if kind == "agreement":
        post["prevents_repeat"] = "0"
    for _ in range(2):
        assert client.post(add, post).status_code == 302
    model = Agreement if kind == "agreement" else plan.ideas.model
    assert model.objects.filter(plan=plan).count() == 1
    # Each load gives the blank card a new id: the next one is another row.
    again = client.get(reverse("conference:plan", args=[plan.case_id])).content.decode()
    assert client_id not in re.search(rf'action="{re.escape(add)}".*?</form>', again, re.S).group(0)
