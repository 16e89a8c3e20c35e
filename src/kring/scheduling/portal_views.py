"""The date poll on the participant's page (issue 9, point 2): a participant who accepted says
for every proposed date whether they can come (yes, if need be, no). It uses the portal's
session (kring.portal.decorators.portal_page): the participant of this browser's session, never
anyone else; the actor of the change is the participant (Actor.in_portal). Nothing changes on
a GET; the answers can be changed until a date is confirmed.

The page shows the date, the times and the venue's name and place of each option, nothing of
the other participants' answers."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.core.policy import options
from kring.portal.decorators import portal_page
from kring.portal.views import see_other
from kring.scheduling import policy
from kring.scheduling.poll_views import answers_form


def home_panel(participant):
    """The panel on the participant's page (portal.registry): "say when you can come" while
    the poll is open for them, or that their answers were given."""
    me = Actor.in_portal(participant)
    meeting = policy.open_meeting(participant.case)
    if meeting is None or policy.may_answer_poll(me, participant, meeting) is not None:
        return None
    options_count = meeting.options.count()
    answered = participant.poll_answers.filter(option__meeting=meeting).count()
    return (
        "scheduling/portal/_home_panel.html",
        {
            "answered": answered >= options_count,
            "follow_up": meeting.is_follow_up,
            "may": options(answer=None),
        },
    )


@portal_page
@require_http_methods(["GET", "HEAD", "POST"])
def answer_poll(request, participant):
    me = Actor.in_portal(participant)
    meeting = policy.open_meeting(participant.case)
    refusal = policy.may_answer_poll(me, participant, meeting)
    if refusal is not None and request.method != "POST":
        # Nothing to answer (no poll, the date is set, not taking part): their page instead.
        return see_other("portal:home")
    form, saved = answers_form(request, participant, meeting, refusal, by=me)
    if saved:
        messages.success(request, _("Thank you. Your coordinator can see when you can come."))
        return see_other("portal:home")
    if request.method != "POST":
        record("portal.viewed", actor=me, case=participant.case, obj=participant)
    return render(
        request,
        "scheduling/portal/answer.html",
        {
            "participant": participant,
            "form": form,
            "option_list": form.options,
            "answered_before": form.answered_before,
            "follow_up": meeting is not None and meeting.is_follow_up,
            "may": options(answer=refusal),
        },
    )
