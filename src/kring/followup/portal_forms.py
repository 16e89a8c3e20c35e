"""The two forms on the participant's page of agreements (issue 12, point 2): its owner reports
an agreement done, anyone else in the plan reports that it is not kept, each in their own words.
The length and the other checks of the text are also the action's (followup.actions): the form
says them first, at the field, in plain words."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kring.followup.actions import TEXT_MAX
from kring.followup.texts import INVISIBLE, REPORT_HELP, TOO_LONG


def _help() -> str:
    return str(REPORT_HELP) % {"limit": TEXT_MAX}


class _ReportForm(forms.Form):
    text = forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
        help_text=lazy(_help, str)(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.label = self.label
        field.error_messages = {
            **field.error_messages,
            "required": self.required,
            "max_length": TOO_LONG,
            "null_characters_not_allowed": INVISIBLE,
        }

    label = ""
    required = ""


class DoneForm(_ReportForm):
    """The owner: "I have done this"."""

    label = _("Tell briefly what you have done")
    required = _("Tell briefly what you have done.")


class NotKeptForm(_ReportForm):
    """Anyone else in the plan: "this does not happen as agreed"."""

    label = _("Tell in your own words what is not going well")
    required = _("Tell in your own words what is not going well.")
