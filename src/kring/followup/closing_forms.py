"""The form of closing a case (issue 12, point 5): the outcome and the closing note. It parses
input only; the rules (the note's length, a note with "other") are followup.closing's, whose
refusal the page shows at the note. A NUL character, which Django's CharField refuses before
the action sees it, gets the action's own words (closing.input_refusal)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.conference.inputs import NUL_MESSAGE
from kring.followup.closing import NOTE_MAX
from kring.followup.models import Outcome


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome.")},
    )
    note = forms.CharField(
        label=_("Closing note"),
        help_text=_(
            "A few words for the case: how it ended. Needed with “Other”. The participants do "
            "not read it."
        ),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX}),
        error_messages={"null_characters_not_allowed": NUL_MESSAGE},
    )
