"""The form of a participant's erasure (issue 14, point 8): a confirmation, nothing typed."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person asked to be erased. I know this cannot be undone."),
        error_messages={"required": _("Confirm that the person asked for it.")},
    )
