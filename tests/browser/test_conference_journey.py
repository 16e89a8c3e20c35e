"""Issue 10, "How it is checked": the whole conference as one journey, in Dutch, at tablet size
(1024×768), through the interface only. Carla runs the conference for Daan, Sanne and six
supporters: check-in, the introductions, the rounds in the method's order, the round for putting
things right; then the plan with the good outcome in Sanne's words, an idea, five agreements, the
evaluation date and what happens when an agreement is not kept. A second page of Carla's shows the
second screen, which follows every agreement within two seconds (counted in its polls:
tests/browser/conference.py). While Carla types an agreement the network drops; the page says so,
keeps what she types, and sends it when the network is back: nothing is lost. Then the plan is
made final (version 1 with its fingerprint) and the informal part begins. axe-core checks every
page and every state shown."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.conference.models import Agreement, Attendance, Conference, Plan, PlanVersion
from kring.conference.tests.mode_fixtures import six_supporters
from tests.browser.conference import ScreenPolls, answer_to, card
from tests.browser.conftest import TABLET
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_OUTCOME = "Dat Daan snapt wat het met me deed. En dat ik weer rustig over straat kan."
IDEA = "Daan helpt een paar zaterdagen bij de fietsenmaker."
EVALUATION = date(2027, 10, 14)
IF_NOT_KEPT = "Dan belt Carla iedereen en praten we opnieuw met elkaar."
# Five agreements: what, who (a first name of the circle), for whom, by when, how it is checked,
# and whether it prevents a repeat.
AGREEMENTS = [
    ("Daan betaalt de reparatie van de fiets.", "daan", "Sanne", date(2027, 8, 1), "Ria vraagt het na.", False),
    ("Daan schrijft Sanne een brief met sorry.", "daan", "Sanne", date(2027, 8, 15), "Sanne laat het Carla weten.", False),
    ("Daan fietst voortaan om via de Kerkstraat.", "daan", "Sanne", date(2027, 9, 1), "Joost fietst de eerste weken mee.", True),
    ("Joost helpt Daan met een bijbaan.", "joost", "Daan", date(2027, 9, 15), "Anton vraagt het na.", False),
]  # fmt: skip
# The fifth is typed with the keyboard while the network drops: the first words online, the rest
# offline.
OFFLINE_WHAT = ("Ria en Sanne drinken koffie", " met Daan, over een maand.")
OFFLINE_CHECK = "Ellen belt Ria na die koffie."


def test_carla_runs_the_conference_and_the_plan_with_a_second_screen(
    new_context, axe, authenticator, carla, scheduled_case, everyone_said_yes
):
    people = six_supporters(scheduled_case, everyone_said_yes)
    responsible, harmed = people["daan"], people["sanne"]
    supporters = [p for key, p in people.items() if key not in ("daan", "sanne")]
    assert len(supporters) == 6
    case_pk = scheduled_case.pk
    context = new_context(viewport=TABLET)
    page = axe.watch(context.new_page())
    log_in(page, carla, authenticator(carla), axe)

    # --- from the case page into conference mode -------------------------------------------
    page.goto(reverse("cases:detail", args=[case_pk]))
    axe.check(page)
    page.get_by_role("link", name=nl("Open conference mode")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Conference mode, case %(reference)s", reference=scheduled_case.reference)
    )
    axe.check(page)

    # --- check-in: Daan, Sanne and the six supporters are there -----------------------------
    present = nl("Present")
    first = page.get_by_role("button", name=f"{present}: {responsible.name}")
    first.focus()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("aria-pressed", "true")
    for person in [harmed, *supporters]:
        page.get_by_role("button", name=f"{present}: {person.name}").click()
        expect(page.locator(f"#person-{person.pk}")).to_contain_text(f"✓ {present}")
    axe.check(page)

    # --- the start and the introductions, with the keyboard ---------------------------------
    page.get_by_role("button", name=nl("Begin the conference")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=nl("Introduce everyone by name"))).to_be_visible()
    # The method's order: the responsible side, the harmed side, then the supporters of the
    # responsible side and of the harmed side, each by name.
    order = [
        responsible.name,
        harmed.name,
        *sorted(p.name for p in supporters if p.supports_id == responsible.pk),
        *sorted(p.name for p in supporters if p.supports_id == harmed.pk),
    ]
    assert len(order) == 8
    names = page.locator("ol.names > li")
    for n, name in enumerate(order):
        expect(names.nth(n)).to_contain_text(name)
    expect(names).to_have_count(8)
    axe.check(page)
    page.get_by_role("button", name=nl("Everyone is introduced")).focus()
    page.keyboard.press("Enter")

    # --- the rounds in that order, each marked done -----------------------------------------
    for n, name in enumerate(order, start=1):
        title = page.get_by_role(
            "heading", level=2, name=nl("Round %(n)s of %(total)s", n=n, total=8)
        )
        expect(title).to_contain_text(name)
        if n == 1:
            axe.check(page)
            page.get_by_label(nl("Short note (if you wish)")).focus()
            page.keyboard.type("wil sorry zeggen")
            page.keyboard.press("Tab")  # on to "Ronde klaar"
        else:
            page.get_by_role("button", name=nl("Round done")).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(nl("The round of %(name)s is done.", name=name))).to_be_visible()

    # --- the round for putting things right; then the plan ---------------------------------
    expect(
        page.get_by_role("heading", name=nl("Who wants to put something right?"))
    ).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name=nl("Done: make the plan")).click()
    expect(page.get_by_text(nl("Every round is done. Now make the plan together."))).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=nl("Open the plan")).click()
    axe.check(page)
    page.get_by_role("button", name=nl("Begin the plan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Plan, case %(reference)s", reference=scheduled_case.reference)
    )
    axe.check(page)

    # --- the second screen, in a second window of Carla's session (the projector) -----------
    with context.expect_page() as opened:
        page.get_by_role("link", name=nl("Second screen (for a projector)")).click()
    screen = axe.watch(opened.value)
    page.bring_to_front()  # Carla goes on typing on the tablet
    polls = ScreenPolls(screen, case_pk)
    expect(screen.get_by_role("heading", level=1)).to_have_text(nl("Restoration plan"))
    expect(screen.get_by_role("main")).to_contain_text(nl("No agreements yet."))
    axe.check(screen)
    polls.assert_polls_every_second()
    # --- the plan opens with Sanne's answer, in her own words -------------------------------
    saved = nl("Saved")
    main = screen.get_by_role("main")
    outcome = page.locator("#good-outcome")
    with answer_to(page, carrying=GOOD_OUTCOME) as answer:
        outcome.get_by_label(nl("In their own words")).fill(GOOD_OUTCOME)
    polls.assert_shows(main, GOOD_OUTCOME, after=answer.at)
    with answer_to(page, carrying=str(harmed.pk)) as answer:
        outcome.get_by_label(nl("In the words of")).select_option(label=harmed.name)
    expect(outcome.get_by_role("status")).to_have_text(saved)
    polls.assert_shows(main, nl("In the words of %(name)s", name=harmed.name), after=answer.at)

    # --- an idea, with who brought it in ----------------------------------------------------
    ideas = page.locator("#ideas")
    with answer_to(page, carrying=IDEA) as answer:
        ideas.get_by_label(nl("New idea")).first.fill(IDEA)
    polls.assert_shows(main, IDEA, after=answer.at)
    idea = ideas.locator("ol.cards > li").first
    idea.get_by_label(nl("Brought in by")).select_option(label=people["anton"].name)
    expect(idea.get_by_role("status")).to_have_text(saved)

    # --- the evaluation, and what happens when an agreement is not kept ---------------------
    after = page.locator("#plan-fields")
    after.get_by_label(nl("Evaluation date")).fill(EVALUATION.isoformat())
    with answer_to(page, carrying=IF_NOT_KEPT) as answer:
        after.get_by_label(nl("What happens when an agreement is not kept?")).fill(IF_NOT_KEPT)
    expect(after.get_by_role("status")).to_have_text(saved)
    polls.assert_shows(main, IF_NOT_KEPT, after=answer.at)
    axe.check(page)

    # --- four agreements; each is on the second screen within two seconds -------------------
    for number, (what, who, for_whom, by_when, how, prevents) in enumerate(AGREEMENTS, start=1):
        with answer_to(page, carrying=what) as answer:
            card(page, nl("New agreement")).get_by_label(nl("What is agreed?")).fill(what)
        shown = screen.locator(".plan-agreement").nth(number - 1)
        polls.assert_shows(shown, what, after=answer.at)
        agreement = card(page, nl("Agreement %(number)s", number=number))
        agreement.get_by_label(nl("Who does it?")).select_option(label=people[who].name)
        agreement.get_by_label(nl("For whom?")).fill(for_whom)
        agreement.get_by_label(nl("By when?")).fill(by_when.isoformat())
        if prevents:
            agreement.get_by_label(nl("This agreement prevents a repeat")).check()
        with answer_to(page, carrying=how) as answer:
            agreement.get_by_label(nl("How is it checked?")).fill(how)
        expect(agreement.get_by_role("status")).to_have_text(saved)
        polls.assert_shows(shown, how, after=answer.at)
        if prevents:
            expect(shown).to_contain_text(nl("Prevents a repeat"))
    axe.check(screen)

    # --- the fifth agreement, typed while the network drops ---------------------------------
    card(page, nl("New agreement")).get_by_label(nl("What is agreed?")).focus()
    with answer_to(page, carrying=OFFLINE_WHAT[0]) as answer:
        page.keyboard.type(OFFLINE_WHAT[0])
    fifth = card(page, nl("Agreement %(number)s", number=5))
    expect(fifth.get_by_role("status")).to_have_text(saved)
    fifth_shown = screen.locator(".plan-agreement").nth(4)
    polls.assert_shows(fifth_shown, OFFLINE_WHAT[0], after=answer.at)

    errors_before = len(axe.browser_errors)
    context.set_offline(True)
    # The card moved into the list when it was first saved; the cursor stayed where she typed.
    expect(fifth.get_by_label(nl("What is agreed?"))).to_be_focused()
    page.keyboard.type(OFFLINE_WHAT[1])
    page.keyboard.press("Tab")  # on to "Wie doet het?"
    fifth.get_by_label(nl("Who does it?")).select_option(label=people["ria"].name)
    fifth.get_by_label(nl("How is it checked?")).fill(OFFLINE_CHECK)
    expect(
        page.get_by_role("status").filter(
            has_text=nl(
                "No connection. What you type is kept on this device and sent as soon as there is "
                "a connection again."
            )
        )
    ).to_be_visible()
    expect(fifth.get_by_role("status")).to_have_text(nl("Kept on this device, not sent yet"))
    expect(fifth.get_by_label(nl("What is agreed?"))).to_have_value("".join(OFFLINE_WHAT))
    axe.check(page)
    # Nothing of it reached the server yet.
    assert Agreement.objects.get(what=OFFLINE_WHAT[0]).how_checked == ""

    whole = "".join(OFFLINE_WHAT)
    with (
        answer_to(page, carrying=whole) as what_sent,
        answer_to(page, carrying=OFFLINE_CHECK) as check_sent,
    ):
        context.set_offline(False)
    expect(fifth.get_by_role("status")).to_have_text(saved)
    # Offline, the second screen's polls could not be sent, and htmx says so in the console
    # (htmx:sendError, htmx:afterRequest); that was the point. Any other error still counts.
    offline_polls = f"{reverse('conference:screen', args=[case_pk])}: console: htmx:"
    axe.browser_errors[errors_before:] = [
        error for error in axe.browser_errors[errors_before:] if offline_polls not in error
    ]
    polls.assert_shows(fifth_shown, whole, after=what_sent.at)
    polls.assert_shows(fifth_shown, OFFLINE_CHECK, after=check_sent.at)
    expect(screen.locator(".plan-agreement")).to_have_count(5)
    axe.check(screen)
    # Everything typed is in the database, each agreement once.
    plan = Plan.objects.get(case=scheduled_case)
    rows = list(plan.agreements.order_by("position"))
    assert [a.what for a in rows] == [a[0] for a in AGREEMENTS] + [whole]
    assert rows[4].how_checked == OFFLINE_CHECK
    assert rows[4].who == people["ria"]
    assert [a.prevents_repeat for a in rows] == [a[5] for a in AGREEMENTS] + [False]
    assert (plan.good_outcome, plan.good_outcome_by) == (GOOD_OUTCOME, harmed)
    assert (plan.evaluation_date, plan.if_not_kept) == (EVALUATION, IF_NOT_KEPT)
    assert list(plan.ideas.values_list("text", "brought_in_by__name")) == [
        (IDEA, people["anton"].name)
    ]

    # --- the plan made final: version 1 with its fingerprint --------------------------------
    page.reload()
    expect(page.get_by_text(nl("The plan has everything it needs."))).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=nl("Make the plan final")).click()
    expect(page.get_by_role("heading", level=2, name=nl("This becomes version 1"))).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name=nl("Make the plan final")).click()
    expect(
        page.get_by_text(nl("Version %(number)s of the plan is final.", number=1))
    ).to_be_visible()
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1
    expect(page.get_by_text(version.content_hash[:12], exact=True)).to_be_visible()
    axe.check(page)

    # --- then the informal part ------------------------------------------------------------
    page.get_by_role("button", name=nl("The informal part begins")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(nl("The informal part has begun."))).to_be_visible()
    axe.check(page)
    axe.check(screen)

    assert Case.objects.get(pk=case_pk).state == State.CONFERENCE_HELD
    conference = Conference.objects.get(case=scheduled_case)
    assert conference.informal_at is not None
    assert Attendance.objects.filter(conference=conference, present=True).count() == 8
    axe.assert_no_violations()
