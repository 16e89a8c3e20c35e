"""The participant asks their coordinator something ("Vraag iets aan je coördinator", issue 8
point 3). The question is stored through one circle action (circle.actions.ask_question) and
reaches the coordinator as a notice and an e-mail without content; the answer, when the
coordinator writes one in Kring, shows on the participant's page. The text is case data: it
never goes into a URL, a log line or an e-mail, and the page that shows it is not cached."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.circle import actions, policy
from kring.core import ratelimit
from kring.core.forms import posted
from kring.core.policy import Refused, options
from kring.portal.decorators import portal_page

MAX_LENGTH = 1000
# Against abuse of a personal link (a flood of notices and e-mails to the coordinator).
QUESTIONS_PER_DAY = 10
DAY = 24 * 3600


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your question"),
        help_text=gettext_lazy(
            "Your coordinator reads it and answers you. At most 1000 characters."
        ),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH}),
        error_messages={
            "required": gettext_lazy("Type your question."),
            "max_length": gettext_lazy(
                "Your question is too long. Write it in at most %(limit_value)d characters."
            ),
        },
    )


@portal_page
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request, participant):
    me = Actor.in_portal(participant)
    refusal = policy.may_ask_question(me, participant)
    form = QuestionForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        if not ratelimit.hit(
            f"portal.question:{participant.pk}", limit=QUESTIONS_PER_DAY, window_seconds=DAY
        ):
            form.add_error(
                None,
                _(
                    "You have asked many questions today. Your coordinator will answer them. "
                    "You can ask more tomorrow."
                ),
            )
        else:
            try:
                actions.ask_question(participant, text=form.cleaned_data["text"], by=me)
            except Refused as refused:
                form.add_error(None, refused.reason)
            else:
                messages.success(
                    request,
                    _("Thank you. Your coordinator has your question and will answer you."),
                )
                response = redirect("portal:question")
                response.status_code = 303  # the browser fetches the page again with GET
                return response
    if request.method != "POST":
        record("portal.viewed", actor=me, case=participant.case, obj=participant)
    return render(
        request,
        "portal/question.html",
        {
            "participant": participant,
            "form": form,
            "questions": list(participant.questions.all()),
            "may": options(ask_question=refusal),
        },
    )
