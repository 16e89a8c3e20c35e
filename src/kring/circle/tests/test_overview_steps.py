"""Each person's next steps on the circle page (issue 8, point 11): one list of steps
(circle.steps.STEPS) covers every option the page computes per person; what the policy allows
now is a link, what a rule refuses for now is text with the reason, never a dead link."""

import re

from django.urls import reverse

from kring.circle import actions
from kring.circle.models import Mode
from kring.circle.steps import STEPS
from kring.circle.views import _person_options


def overview(client, case) -> str:
    return client.get(reverse("circle:overview", args=[case.pk])).content.decode()


def steps_of(html: str, name: str) -> str:
    """The task list of `name` on the page."""
    start = html.index(f"Next steps for {name}</p>")
    return html[start : html.index("</div>", start)]


def test_every_option_of_a_person_is_a_step_in_the_task_list(carla, daan):
    assert set(_person_options(carla, daan)) == {step.action for step in STEPS}


def test_a_step_not_possible_yet_is_text_with_its_reason_and_becomes_a_link_when_it_is(
    as_user, carla, preparing_case, daan, sanne
):
    client = as_user(carla)
    invite = reverse("circle:invite", args=[preparing_case.pk, sanne.pk])

    sannes = steps_of(overview(client, preparing_case), "Sanne Jansen")
    assert invite not in sannes
    waiting = re.search(r'<li class="step-later">(.*?)</li>', sannes, re.S).group(1)
    assert "Invite" in waiting and "Not possible yet:" in waiting
    assert "acknowledged" in waiting  # the order of the method (R4), in words

    actions.record_acknowledgment(
        daan, acknowledges=True, given_at=daan.added_at, mode=Mode.IN_PERSON, by=carla
    )

    sannes = steps_of(overview(client, preparing_case), "Sanne Jansen")
    assert f'href="{invite}"' in sannes


def test_steps_that_are_done_or_not_for_this_person_are_left_out(
    as_user, carla, preparing_case, daan, sanne
):
    html = overview(as_user(carla), preparing_case)

    # Only a person responsible acknowledges: Sanne's list does not mention it at all.
    assert "Record acknowledgment" not in steps_of(html, "Sanne Jansen")
    assert "Record acknowledgment" in steps_of(html, "Daan de Boer")
    # No one has stopped: no return to record.
    assert "Record a return" not in html


def test_someone_who_stopped_has_a_return_to_record(as_user, carla, preparing_case, daan):
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)

    daans = steps_of(overview(as_user(carla), preparing_case), "Daan de Boer")

    assert reverse("circle:record_return", args=[preparing_case.pk, daan.pk]) in daans
    assert reverse("circle:withdraw", args=[preparing_case.pk, daan.pk]) not in daans


def test_the_office_sees_no_task_list(as_user, bram, preparing_case, daan):
    html = overview(as_user(bram), preparing_case)

    assert "Next steps for" not in html
    assert reverse("circle:edit", args=[preparing_case.pk, daan.pk]) not in html


def test_the_step_urls_reversed_once_per_page_are_those_reversed_per_person(
    preparing_case, daan, sanne
):
    from django.urls import NoReverseMatch

    from kring.circle.steps import Step, StepUrls

    def _url(step, case, participant):
        """Reversed per person, as the page did before StepUrls."""
        try:
            return reverse(step.url_name, args=[case.pk, participant.pk])
        except NoReverseMatch:
            return ""

    urls = StepUrls(preparing_case)
    missing = Step("missing", "circle:no_such_page", "Nothing")
    for person in (daan, sanne, daan):
        for step in (*STEPS, missing):
            assert urls.url(step, person) == _url(step, preparing_case, person)
    assert urls.url(STEPS[0], daan) == reverse(
        "circle:conversation", args=[preparing_case.pk, daan.pk]
    )
    assert urls.url(missing, daan) == ""
