"""The markup of Kring's forms, byte for byte (issue 15, point 3). Here, beside the suite's
other tests across apps, because it renders the forms of every app.

The snapshots under form_markup/ were made with the Django-template form renderer, before forms
moved to Jinja2; the renderer must give the same bytes: the accessible markup, the hints, the
errors at the field and the summary above the form. Covered:

- every form class of the project, found by importing every module that defines one, unbound,
  in Dutch and in English (a form that needs arguments gets them from ARGUMENTS: unsaved model
  instances with fixed primary keys, so that the markup is the same on SQLite and PostgreSQL
  and in any test order);
- the forms in BOUND, bound with invalid data (empty where required, wrong where typed, and a
  text with ' " < & in it, which the two engines escape differently unless told), in Dutch and
  in English: text, textarea, e-mail, number, date, time, datetime-local, select, radio in a
  fieldset, checkbox, checkbox multiple, file, hidden, required and optional fields, help text,
  errors at the field and errors of the form (non-field).

Each snapshot holds the form as `{{ form }}` renders it, each field as `{{ field }}` (the widget
alone, as some page templates place it), the form's non-field errors `as_ul` and the error
summary (core/_error_summary.html). To make them again (only ever with the old renderer):
KRING_UPDATE_FORM_SNAPSHOTS=1 pytest tests/forms/test_form_markup.py
"""

import datetime
import importlib
import os
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

import kring
from kring.testing.auth import force_verified_login

SNAPSHOTS = Path(__file__).parent / "form_markup"
UPDATE = os.environ.get("KRING_UPDATE_FORM_SNAPSHOTS") == "1"
LANGUAGES = ["nl", "en"]
# Characters that DTL escapes as &#x27; and &quot; and Jinja2's markupsafe as &#39; and &#34;.
AWKWARD = 'O\'Brien & "de <Vries>"'


def _form_modules() -> list[str]:
    """Every kring module (tests and migrations aside) whose source defines a form class."""
    names = []
    for module in pkgutil.walk_packages(kring.__path__, "kring."):
        parts = module.name.split(".")
        if {"tests", "migrations", "testing"} & set(parts) or module.ispkg:
            continue
        spec = importlib.util.find_spec(module.name)
        source = Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else ""
        if "Form)" in source or "Form):" in source or "ModelForm" in source:
            names.append(module.name)
    return names


def all_form_classes() -> list[type[forms.BaseForm]]:
    for name in _form_modules():
        importlib.import_module(name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("kring.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# --- fixed, unsaved objects: the same primary keys on every database and in every order ---------


def _aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _team():
    from kring.accounts.models import Team

    return Team(pk=41, name="Team Utrecht")


def _case():
    from kring.cases.models import Case

    return Case(pk=42, team_id=41)


def _participant(**extra):
    from kring.circle.models import Participant

    values = {"pk": 43, "case_id": 42, "name": "Daan", "side": "responsible", "email": ""}
    values.update(extra)
    return Participant(**values)


def _venue():
    from kring.scheduling.models import Venue

    return Venue(pk=44, team_id=41, name="Buurthuis De Linde", capacity=12)


def _options():
    from kring.scheduling.models import PollOption

    venue = _venue()
    return [
        PollOption(
            pk=45 + i,
            venue=venue,
            starts_at=_aware(2026, 3, 14 + i, 10, 0),
            ends_at=_aware(2026, 3, 14 + i, 12, 0),
        )
        for i in range(2)
    ]


def _meeting():
    from kring.scheduling.models import Meeting

    return Meeting(
        pk=47,
        case=_case(),
        venue_id=44,
        starts_at=_aware(2026, 3, 14, 10, 0),
        ends_at=_aware(2026, 3, 14, 12, 0),
    )


def _tracked(state="open"):
    from kring.followup.models import TrackedAgreement

    return TrackedAgreement(pk=48, state=state)


def _report():
    from kring.followup.models import Report

    return Report(pk=49, tracked=_tracked())


def _contact():
    from kring.followup.models import Contact

    return Contact(pk=50)


def _by():
    from kring.accounts.models import User

    return User(pk=51, username="ruud", role="researcher")


# The arguments of each form that needs them (the rest are made without any). A callable is
# called per test; "args" are positional arguments, "data" the data of a form that needs it.
ARGUMENTS = {
    "kring.accounts.forms.CodeForm": lambda: {"allow_recovery": True},
    "kring.accounts.forms.KringPasswordChangeForm": lambda: {"args": (_by(),)},
    "kring.audit.forms.AuditFilterForm": lambda: {"team_id": 41},
    "kring.cases.forms.AssignForm": lambda: {"team": _team()},
    "kring.circle.forms.ConsentForm": lambda: {"participant": _participant()},
    "kring.circle.forms.InviteForm": lambda: {"participant": _participant(email="d@example.org")},
    "kring.circle.forms.ParticipantForm": lambda: {"case": _case()},
    "kring.followup.forms.AnswerForm": lambda: {"report": _report()},
    "kring.followup.forms.AskBackForm": lambda: {"report": _report()},
    "kring.followup.forms.ConfirmForm": lambda: {"report": _report()},
    "kring.followup.forms.ContactForm": lambda: {"contact": _contact()},
    "kring.followup.forms.SetStateForm": lambda: {"tracked": _tracked()},
    "kring.portal.forms.ConsentForm": lambda: {
        "participant": _participant(),
        "wards": [_participant(pk=52, name="Mila")],
        "version": "2026-1",
    },
    "kring.privacy.rights_forms.CorrectionForm": lambda: {
        "participant": _participant(email="d@example.org", phone="06 1234 5678"),
        "write_only": False,
    },
    "kring.research.figures_forms.FiguresFilterForm": lambda: {
        "data": {},
        "actor": _by(),
        "today": datetime.date(2026, 3, 14),
    },
    "kring.research.forms.QuestionnaireForm": lambda: {"role": "harmed"},
    "kring.research.import_forms.ImportForm": lambda: {"may_create_teams": True},
    "kring.scheduling.forms.MoveForm": lambda: {"meeting": _meeting()},
    "kring.scheduling.poll_forms.AnswersForm": lambda: {"options": _options()},
    "kring.scheduling.poll_forms.OptionForm": lambda: {"case": _case()},
    "kring.signing.forms.SignForm": lambda: {"consent": "ja", "shown_hash": "ab12"},
    "kring.signing.forms.DeclineForm": lambda: {"shown_hash": "ab12"},
}

# A field whose initial value is "now" gets this one, so that the snapshot stays the same.
FIXED_NOW = _aware(2026, 3, 14, 15, 30)

# Bound with invalid data: (form, data, files). Empty where required and wrong where typed; every
# widget and field shape Kring uses is in one of them.
BOUND = {
    # radio in a fieldset, text, textarea, e-mail, tel, checkbox, help text with a link, optional
    "kring.referrals.forms.ReferralForm": {
        "requester_organisation": AWKWARD,
        "description": f"{AWKWARD}\r\nline two",
        "requester_email": "not an address",
        "requester_name": "",
    },
    "kring.referrals.forms.PersonForm": {"name": AWKWARD},
    # number, select, checkbox multiple
    "kring.scheduling.venue_forms.VenueForm": {"name": AWKWARD, "capacity": "many"},
    # date, time, select (venue)
    "kring.scheduling.poll_forms.OptionForm": {"day": "14-13-2026", "starts": "25:00"},
    # datetime-local with an initial "now", radio
    "kring.circle.forms.ConversationForm": {"held_at": "gisteren", "mode": "pigeon"},
    # hidden fields, checkbox, non-field errors (added as the view adds the action's refusal)
    "kring.signing.forms.SignForm": {"typed_name": AWKWARD, "shown_hash": "ab12"},
    # file
    "kring.research.import_forms.ImportForm": {},
    # password, text
    "kring.accounts.forms.LoginForm": {"username": AWKWARD, "password": ""},
    # date range, select (model choice), text with a clean_ method
    "kring.audit.forms.AuditFilterForm": {"reference": "??", "since": "x", "actor": "99"},
    # a form made of radio groups, one per option
    "kring.scheduling.poll_forms.AnswersForm": {"option_45": "maybe-not"},
    # a model form with select, e-mail, checkbox, textarea
    "kring.circle.forms.ParticipantForm": {"name": "", "email": "d@", "side": "nobody"},
    # questionnaire: radio groups and a textarea
    "kring.research.forms.QuestionnaireForm": {"remark": AWKWARD, "satisfied": "11"},
}
# The refusal a view adds to the form as a whole (form.add_error(None, ...)).
NON_FIELD_ERROR = "It cannot be done now: the plan changed. Read it again."


def make(cls, *, bound: bool):
    name = dotted(cls)
    kwargs = ARGUMENTS.get(name, dict)()
    args = kwargs.pop("args", ())
    callable_initial = {
        field: FIXED_NOW for field, spec in cls.base_fields.items() if callable(spec.initial)
    }
    if callable_initial:
        kwargs["initial"] = {**callable_initial, **kwargs.get("initial", {})}
    if bound:
        kwargs.update(data=BOUND[name], files={})
    return cls(*args, **kwargs)


def markup(form: forms.BaseForm) -> str:
    """What page templates print of a form: the whole form, each widget alone, the non-field
    errors as a list, and the error summary."""
    parts = ["<!-- form -->", str(form)]
    for field in form:
        parts += [f"<!-- widget {field.name} -->", str(field)]
    parts += ["<!-- non-field errors -->", str(form.non_field_errors().as_ul())]
    parts += ["<!-- summary -->", render_to_string("core/_error_summary.html", {"form": form})]
    return "\n".join(parts) + "\n"


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(text.encode())  # bytes: a \r stays a \r
        return
    assert path.exists(), f"no snapshot {path.name}: make it with the old renderer"
    expected = path.read_bytes().decode()
    assert text == expected, f"{path.name} differs from its snapshot"


FORMS = all_form_classes()


def test_every_form_of_the_project_is_found():
    names = {dotted(cls) for cls in FORMS}
    assert {
        "kring.referrals.forms.ReferralForm",
        "kring.scheduling.venue_forms.VenueForm",
        "kring.portal.codes.CodeForm",
        "kring.signing.verify_views.UploadForm",
        "kring.accounts.forms.ContactDetailsForm",
    } <= names
    assert set(ARGUMENTS) <= names, set(ARGUMENTS) - names
    assert set(BOUND) <= names, set(BOUND) - names


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cls", FORMS, ids=dotted)
def test_every_form_renders_as_before_unbound(cls, language):
    with translation.override(language):
        check(f"{dotted(cls)}.unbound.{language}.html", markup(make(cls, bound=False)))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(BOUND))
def test_forms_with_errors_render_as_before(name, language):
    cls = next(cls for cls in FORMS if dotted(cls) == name)
    with translation.override(language):
        form = make(cls, bound=True)
        assert not form.is_valid()
        if name == "kring.signing.forms.SignForm":
            form.add_error(None, NON_FIELD_ERROR)
        check(f"{name}.invalid.{language}.html", markup(form))


def test_the_snapshots_cover_every_widget_kring_uses():
    """The shapes the task names are in the snapshots (so that a snapshot set that lost one is
    seen here, not only in review)."""
    if UPDATE:
        pytest.skip("making the snapshots")
    text = "".join(path.read_text(encoding="utf-8") for path in SNAPSHOTS.glob("*.html"))
    for needle in [
        'type="text"',
        "<textarea",
        'type="email"',
        'type="number"',
        'type="date"',
        'type="time"',
        'type="datetime-local"',
        "<select",
        "<fieldset",
        'type="radio"',
        'type="checkbox"',
        'type="file"',
        'type="hidden"',
        'type="password"',
        "(optional)",
        "(niet verplicht)",
        "Fout:",
        'class="hint"',
        'class="field-error"',
        'class="error-summary"',
        'class="errorlist nonfield"',
        "O&#x27;Brien &amp; &quot;de &lt;Vries&gt;&quot;",
    ]:
        assert needle in text, needle


# --- the administration's forms: Django's admin widgets, rendered by the same form renderer -----

ADMIN_PAGES = ["admin:accounts_user_add", "admin:accounts_team_add"]


def _form_element(html: str) -> str:
    """The page's main form, without the CSRF token (new per response)."""
    start = re.search(r'<form [^>]*id="\w+_form"', html).start()
    end = html.index("</form>", start) + len("</form>")
    form = html[start:end]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', form)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url_name", ADMIN_PAGES)
def test_the_administrations_forms_render_as_before(client, admin_user, url_name, language):
    force_verified_login(client, admin_user)
    empty = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language)
    assert empty.status_code == 200
    check(f"{url_name.replace(':', '.')}.unbound.{language}.html", _form_element(empty.text))
    invalid = client.post(
        reverse(url_name), {"username": AWKWARD, "name": ""}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert invalid.status_code == 200
    check(f"{url_name.replace(':', '.')}.invalid.{language}.html", _form_element(invalid.text))
