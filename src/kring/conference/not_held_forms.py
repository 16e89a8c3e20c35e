"""The form of a meeting that did not take place (issue 10, point 6): why, then what happens to
the case, asked as cancelling a meeting asks it (scheduling.forms.ThenForm). It parses input
only; the rules are in conference.not_held, whose refusals the page shows as a form error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.conference.models import NotHeldReason
from kring.scheduling.forms import ThenForm, stop_reason_field


class NotHeldForm(ThenForm):
    STOP_REASON = "stop_reason"
    field_order = ["reason", "then", "stop_reason"]

    reason = forms.ChoiceField(
        label=_("Why did the conference not go on?"),
        choices=NotHeldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the conference did not go on.")},
    )
    stop_reason = stop_reason_field()
