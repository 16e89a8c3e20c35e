"""The coordinator's forms on the tracker (issue 12, points 1 and 2): a state with a short note, an
answer to a report, confirming or asking back about a report of done, the follow-up contact. They
parse input only; what is allowed is followup.policy, and the actions check the text once more
(required, at most so many characters, no NUL character: Django's CharField refuses that), in the
same words (followup.texts).

Many forms share one page, one per agreement, report and contact: each gets its own `auto_id`
(`state-12-note`), so the ids on the page are unique, while the names of the fields stay plain
(`state`, `note`, `text`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.followup import actions, policy
from kring.followup.texts import ANSWER_REQUIRED, ASK_BACK_REQUIRED, INVISIBLE, TOO_LONG


def _auto_id(prefix: str, pk: int) -> str:
    return f"{prefix}-{pk}-%s"


def _settable_choices(form: forms.Form, current: str) -> list[tuple[str, str]]:
    """The states the coordinator may set: on the page, all but the present one; when sent, any
    of them, so that a state set meanwhile (another tab) gets the policy's own words."""
    return [
        (state.value, str(state.label))
        for state in policy.SETTABLE
        if form.is_bound or state.value != current
    ]


def _text(label, *, max_length: int, required: bool, help_text="", rows: int = 3, empty=None):
    # The same words for a NUL character as the actions (followup.actions._typed).
    messages = {"max_length": TOO_LONG, "null_characters_not_allowed": INVISIBLE}
    if empty is not None:
        messages["required"] = empty
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=messages,
    )


class SetStateForm(forms.Form):
    """The state of one agreement: only the states the coordinator may set, not the current one."""

    state = forms.ChoiceField(
        label=_("New state"),
        error_messages={
            "required": _("Choose the state of the agreement."),
            "invalid_choice": _("Choose one of the states in the list."),
        },
    )
    note = _text(
        _("Short note"),
        max_length=actions.NOTE_MAX,
        required=False,
        help_text=_("What did you hear or see? Describe the agreement, not the person."),
        rows=2,
    )

    def __init__(self, *args, tracked, **kwargs):
        kwargs.setdefault("auto_id", _auto_id("state", tracked.pk))
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Choose…")), *_settable_choices(self, tracked.state)]


class AnswerForm(forms.Form):
    """The answer to a report that an agreement is not kept, and perhaps the agreement's state."""

    text = _text(
        _("Your answer"),
        max_length=actions.TEXT_MAX,
        required=True,
        help_text=_("The participant reads this on their personal page. Write in plain words."),
        empty=ANSWER_REQUIRED,
    )
    state = forms.ChoiceField(
        label=_("State of the agreement"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the states in the list.")},
    )

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault("auto_id", _auto_id("answer", report.pk))
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("Keep it as it is")),
            *_settable_choices(self, report.tracked.state),
        ]

    def cleaned_state(self) -> str | None:
        return self.cleaned_data.get("state") or None


class ConfirmForm(forms.Form):
    """Confirm a report of done: the agreement becomes done; a few words for the participant."""

    note = _text(
        _("A few words for the participant"),
        max_length=actions.TEXT_MAX,
        required=False,
        help_text=_("Empty: they read that you confirmed it."),
        rows=2,
    )

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault("auto_id", _auto_id("confirm", report.pk))
        super().__init__(*args, **kwargs)


class AskBackForm(forms.Form):
    """Ask back about a report of done: the agreement keeps its state."""

    text = _text(
        _("Your question"),
        max_length=actions.TEXT_MAX,
        required=True,
        help_text=_("The participant reads this on their personal page. Write in plain words."),
        rows=2,
        empty=ASK_BACK_REQUIRED,
    )

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault("auto_id", _auto_id("askback", report.pk))
        super().__init__(*args, **kwargs)


class ContactForm(forms.Form):
    """The follow-up contact took place."""

    note = _text(
        _("Short note"),
        max_length=actions.NOTE_MAX,
        required=False,
        help_text=_("How are the agreements going? Describe the agreements, not the people."),
        rows=2,
    )

    def __init__(self, *args, contact, **kwargs):
        kwargs.setdefault("auto_id", _auto_id("contact", contact.pk))
        super().__init__(*args, **kwargs)
