"""The upload form of the historical import (issue 13, point 3; research.import_views): the
file, at most `MAX_BYTES`, and for an administrator whether teams the file names that do not
exist yet are made (research.policy.may_create_teams)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
# A request body may be this much larger than the file: the form's fields and multipart framing.
MAX_BODY = MAX_BYTES + 64 * 1024
TOO_BIG = _(
    "This file is larger than 5 MB. Split it into smaller files, each with the header row, and "
    "upload them one by one."
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The CSV file"),
        help_text=_("UTF-8 CSV with the header row, at most 5 MB."),
        error_messages={
            "required": _("Choose the CSV file to import."),
            "empty": _("The file is empty."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    create_teams = forms.BooleanField(
        label=_("Make the teams the file names that do not exist yet"),
        help_text=_("Without this, a team Kring does not know is a fault."),
        required=False,
    )

    def __init__(self, *args: Any, may_create_teams: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_create_teams:
            del self.fields["create_teams"]

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG, code="too_big")
        data: bytes = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG, code="too_big")
        return data
