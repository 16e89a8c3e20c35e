import threading
from pathlib import Path

import django.forms
import jinja2
from django.forms.renderers import Jinja2
from django.template import TemplateDoesNotExist
from django.template.loader import get_template as django_get_template
from django.utils.html import conditional_escape
from django.utils.translation import gettext, ngettext

DJANGO_FORMS = Path(django.forms.__file__).parent


class _EndingAsDjangoTemplates(jinja2.FileSystemLoader):
    """Django's Jinja2 form templates, each ending as its Django-template twin: with the line end
    kept (keep_trailing_newline) where the twin has one, without where it has none. Two differ:
    django/forms/attrs.html and widgets/attrs.html, included inside a tag, where a line end
    would land before the input's ">"."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        twin = DJANGO_FORMS / "templates" / template
        if (
            source.endswith("\n")
            and Path(filename).is_relative_to(DJANGO_FORMS / "jinja2")
            and twin.is_file()
            and not twin.read_text(encoding="utf-8").endswith("\n")
        ):
            source = source[:-1]
        return source, filename, uptodate


def environment(**options) -> jinja2.Environment:
    """The Jinja2 environment of the form renderer: Django's gettext for {{ _("...") }} (in the
    active language of the request's thread), and Django's escaping, so that a quote prints as
    &#x27; and &quot; as the Django templates printed it (markupsafe would print &#39; and &#34;).
    A template's last line end is kept, as the Django engine keeps it: an included widget
    template (input.html in input_option.html) ends in one."""
    options["loader"] = _EndingAsDjangoTemplates(options["loader"].searchpath)
    options.pop("autoescape", None)  # always on
    env = jinja2.Environment(
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        finalize=_escaped_as_django_does,
        keep_trailing_newline=True,
        **options,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def _escaped_as_django_does(value):
    # Runs before autoescape: what is safe already (a rendered widget, format_html) stays as it
    # is; anything else is escaped by Django and so left alone by markupsafe.
    return value if hasattr(value, "__html__") else conditional_escape(value)


class KringFormRenderer(Jinja2):
    """Every form renders its fields the same accessible way: label, hint, error at the field
    (linked with aria-describedby), and the summary above the form (core/_error_summary.html).

    Jinja2, at half the CPU of the Django templates (issue 15): core/jinja2/core/forms/ and
    Django's own Jinja2 widget templates. A template that exists only for the Django engine (the
    admin's widgets, django.contrib.auth's password hash) is rendered by the project's TEMPLATES.
    One renderer per process (django.forms.renderers.get_default_renderer), one environment per
    renderer; Jinja2 environments are safe to share between threads. With DEBUG on, changed
    templates are read again (the Jinja2 backend's auto_reload)."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"

    def __init__(self):
        super().__init__()
        self._engine_lock = threading.Lock()
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = self.backend(
                        {
                            "APP_DIRS": True,  # kring/core/jinja2/
                            "DIRS": [DJANGO_FORMS / "jinja2"],
                            "NAME": "kring-forms",
                            "OPTIONS": {"environment": "kring.core.forms.environment"},
                        }
                    )
        return self._engine

    def get_template(self, template_name):
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:
            return django_get_template(template_name)


def posted(request):
    """The submitted data, or None on GET: bind a form with it, so that an empty POST is still
    validated (`request.POST or None` would treat it as no submission)."""
    return request.POST if request.method == "POST" else None


# A label that ends like a sentence or a question ("Do you want legal advice?") is followed by
# the message as it stands; any other label gets a colon. Never ".:" or "?:" (issue 8, point 6).
_SENTENCE_END = (".", "?", "!", ":", "\u2026")


def summary_line(label, error) -> str:
    """The line "Name: Write the name ..." or "Do you want legal advice? Choose whether ...":
    the label and the message joined without doubled punctuation. No label: the message."""
    label = " ".join(str(label or "").split())
    error = " ".join(str(error or "").split())
    if not label:
        return error
    if not error:
        return label
    if label.endswith(":"):
        label = label[:-1].rstrip()
        if not label:
            return error
    if label.endswith(_SENTENCE_END):
        return f"{label} {error}"
    return f"{label}: {error}"
