"""The forms of signing on the coordinator's tablet (issue 11, points 1 and 2): what the person
holding the tablet fills in. The consent sentence beside the tick box is never read from the
form: the server composes it (signing.consent) and passes it to the action as shown."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.signing.actions import NAME_MAX, REASON_MAX

# SVG path data as sign.js writes it: moves and lines with whole or decimal numbers. Anything
# else (a script, markup) is refused, so that a drawing is only ever lines.
PATH_DATA = re.compile(r"^[MLml0-9 .,\-]*$")
DRAWING_MAX = 60_000


class SignForm(forms.Form):
    agreed = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box if you agree with this plan.")},
    )
    typed_name = forms.CharField(
        label=_("Type your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Type your name to sign."),
            "max_length": _("Your name can be at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    drawing = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, consent: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The label is the consent sentence itself: what is ticked is what is stored.
        self.fields["agreed"].label = consent

    def clean_drawing(self) -> str:
        drawing = " ".join(self.cleaned_data.get("drawing", "").split())
        if len(drawing) > DRAWING_MAX or not PATH_DATA.match(drawing):
            # The drawing is optional: one that cannot be read is left out, never a reason to
            # refuse a signature given by the tick and the name.
            return ""
        return drawing


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you not sign?"),
        help_text=_("Only the coordinator reads this."),
        max_length=REASON_MAX,
        error_messages={
            "required": _("Write why you do not sign."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REASON_MAX}),
    )
