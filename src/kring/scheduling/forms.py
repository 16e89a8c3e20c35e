"""The forms of confirming, moving and cancelling a meeting (issue 9, points 5 and 7). They
parse input only; the rules are in scheduling.actions, whose refusals the views show as a form
error."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.cases.models import StopReason
from kring.scheduling.poll_forms import OptionForm


class MoveForm(OptionForm):
    """Another date, start, end and venue (of the case's team), filled in with the meeting's
    current ones."""

    def __init__(self, *args, meeting, **kwargs):
        starts = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at)
        kwargs.setdefault(
            "initial",
            {
                "day": starts.date(),
                "starts": starts.time(),
                "ends": ends.time(),
                "venue": meeting.venue_id,
            },
        )
        super().__init__(*args, case=meeting.case, **kwargs)


def stop_reason_field() -> forms.ChoiceField:
    """Why the case stops, if it does (a StopReason of the case; required then, see ThenForm)."""
    return forms.ChoiceField(
        label=_("If the case stops: why?"),
        choices=StopReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class ThenForm(forms.Form):
    """What happens to the case when its meeting is not held: back to preparation to find a new
    date, or the case stops, and then why (the field named `STOP_REASON`). Cancelling a meeting
    and recording a conference that did not go on (conference.not_held_forms) ask it alike."""

    STOP_REASON = "reason"

    then = forms.ChoiceField(
        label=_("What happens to the case?"),
        choices=[
            ("prepare", _("Back to preparation, to find a new date")),
            ("stop", _("The case stops")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to the case.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("then") == "stop" and not data.get(self.STOP_REASON):
            self.add_error(self.STOP_REASON, _("Choose the reason for stopping."))
        return data


class CancelForm(ThenForm):
    reason = stop_reason_field()
