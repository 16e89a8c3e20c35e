"""No doubled punctuation in errors (issue 8, point 6): the error summary joins a field's label
and its message once, in core.forms.summary_line, so that "…mee te doen.: Vink…" cannot happen.
Checked for every field of every form of the project, in English and in Dutch, and on the page
where it was seen."""

import contextlib
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.utils import translation

import kring
from kring.core.forms import summary_line

DOUBLED = re.compile(r"[.?!:][.:](?!\.)|\.\.")


def test_a_label_that_ends_a_sentence_is_followed_by_the_message_alone():
    label = "I have read the information and I agree to take part."
    assert summary_line(label, "Tick the box.") == f"{label} Tick the box."
    assert (
        summary_line("Do you want legal advice?", "Choose.") == "Do you want legal advice? Choose."
    )
    assert summary_line("Watch out!", "Choose.") == "Watch out! Choose."


def test_any_other_label_gets_one_colon():
    assert summary_line("Name", "Write the name.") == "Name: Write the name."
    assert summary_line("Name:", "Write the name.") == "Name: Write the name."
    assert summary_line("  Name \n", " Write the name. ") == "Name: Write the name."


def test_without_a_label_or_a_message_the_other_stands_alone():
    assert summary_line("", "Write the name.") == "Write the name."
    assert summary_line(None, "Write the name.") == "Write the name."
    assert summary_line(":", "Write the name.") == "Write the name."
    assert summary_line("Name", "") == "Name"


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(kring.__path__, "kring."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("kring."):
                found.append(sub)
    return found


def _messages(field: forms.Field) -> list[str]:
    messages = []
    for message in field.error_messages.values():
        text = str(message)
        with contextlib.suppress(KeyError, TypeError, ValueError):  # no or other placeholders
            text = text % {"limit_value": 10, "show_value": 12, "value": "x", "max": 10}
        messages.append(text)
    for validator in field.validators:
        if getattr(validator, "message", None):
            messages.append(str(validator.message))
    return messages


FORMS = _all_forms()


def test_the_project_has_forms_to_check():
    names = {cls.__name__ for cls in FORMS}
    assert {"ConsentForm", "NominateForm", "ContactDetailsForm"} <= names


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_no_field_of_any_form_doubles_punctuation_in_the_summary(form_class, language):
    with translation.override(language):
        for name, field in form_class.base_fields.items():
            label = field.label if field.label is not None else name.replace("_", " ").capitalize()
            for message in _messages(field):
                line = summary_line(label, message)
                assert not DOUBLED.search(line.replace("...", "…")), f"{name}: {line!r}"
