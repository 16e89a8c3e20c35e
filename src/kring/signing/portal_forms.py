"""The form of the one-time code on the participant's page (signing.codes): six digits, typed
on a phone (spaces are allowed and left out)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from the e-mail"),
        help_text=_("6 digits"),
        max_length=20,
        error_messages={"required": _("Type the code from the e-mail.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "size": 8,
            }
        ),
    )
