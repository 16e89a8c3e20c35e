"""The form of a meeting that did not take place (issue 10, point 6). It parses input only; the
rules are in conference.not_held, whose refusals the page shows as a form error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.cases.models import StopReason
from kring.conference.models import NotHeldReason


class NotHeldForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why did the conference not go on?"),
        choices=NotHeldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the conference did not go on.")},
    )
    then = forms.ChoiceField(
        label=_("What happens to the case?"),
        choices=[
            ("prepare", _("Back to preparation, to find a new date")),
            ("stop", _("The case stops")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to the case.")},
    )
    stop_reason = forms.ChoiceField(
        label=_("If the case stops: why?"),
        choices=StopReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("then") == "stop" and not data.get("stop_reason"):
            self.add_error("stop_reason", _("Choose the reason for stopping."))
        return data
