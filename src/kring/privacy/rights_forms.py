"""The forms of a participant's rights (issue 14, point 8): the erasure's confirmation, nothing
typed; the correction of their details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.circle.forms import ParticipantForm
from kring.circle.models import Participant
from kring.privacy.rights import CORRECTABLE


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person asked to be erased. I know this cannot be undone."),
        error_messages={"required": _("Confirm that the person asked for it.")},
    )


CONTACT_FIELDS = ("email", "phone", "address")


class CorrectionForm(forms.Form):
    """Correct a participant's name, contact details and language (GDPR article 16). The
    fields are the circle's own (circle.forms.ParticipantForm: the model's bounds, its widgets
    and messages), so that a detail is checked the same way wherever it is typed.

    `write_only` (the office, which never sees contact details: docs/rules.md "Roles"): the
    contact fields start empty, and an empty one means "leave as it is"; changes() leaves it
    out."""

    def __init__(self, *args, participant, write_only: bool, **kwargs):
        meta = ParticipantForm.Meta
        fields = forms.fields_for_model(
            Participant,
            fields=list(CORRECTABLE),
            widgets=meta.widgets,
            error_messages=meta.error_messages,
            help_texts={"email": meta.help_texts["email"]},
        )
        current = {name: getattr(participant, name) for name in CORRECTABLE}
        if write_only:
            for name in CONTACT_FIELDS:
                del current[name]
        super().__init__(*args, initial=current, **kwargs)
        self.fields.update(fields)
        self.write_only = write_only
        # Always chosen on the page (no empty choice); not sent at all: left as it is.
        self.fields["language"].required = False
        if write_only:
            for name in CONTACT_FIELDS:
                self.fields[name].help_text = _(
                    "Leave empty to keep it as it is. What you type replaces it."
                )

    def changes(self) -> dict:
        """The cleaned values to correct; for the office, without the empty contact fields."""
        data = {name: self.cleaned_data[name] for name in CORRECTABLE}
        if not data["language"]:
            del data["language"]
        if self.write_only:
            data = {k: v for k, v in data.items() if k not in CONTACT_FIELDS or v}
        return data
