"""The forms of signing on the coordinator's tablet and the personal page (issue 11, points 1
and 2): what the signer fills in. The consent sentence beside the tick box is never read from
the form: the server composes it (signing.consent) and passes it to the action as shown. The
form carries the content hash of the version the page showed (`shown_hash`), which the action
compares with the version to sign now: a plan changed in between is not signed unread."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.signing.actions import DRAWING_MAX, NAME_MAX, REASON_MAX, usable_drawing


def _shown_hash() -> forms.CharField:
    """The content hash of the version the page showed, sent back with the form."""
    return forms.CharField(required=False, max_length=128, widget=forms.HiddenInput)


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
    # sign.js finds it by data-drawing-input (the portal prefixes its name) and stops adding
    # points before data-max-length.
    drawing = forms.CharField(
        required=False,
        widget=forms.HiddenInput(
            attrs={"data-drawing-input": "", "data-max-length": str(DRAWING_MAX)}
        ),
    )
    shown_hash = _shown_hash()

    def __init__(self, *args, consent: str = "", shown_hash: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The label is the consent sentence itself: what is ticked is what is stored.
        self.fields["agreed"].label = consent
        self.fields["shown_hash"].initial = shown_hash

    def clean_drawing(self) -> str:
        # Optional: one that cannot be used is left out, never a reason to refuse a signature
        # given by the tick and the name (the action's own check, said once).
        return usable_drawing(self.cleaned_data.get("drawing", ""))


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
    shown_hash = _shown_hash()

    def __init__(self, *args, shown_hash: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown_hash"].initial = shown_hash
