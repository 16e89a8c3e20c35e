"""A page's content rendered by Jinja2, inside the one Django layout (issue 15, ADR 0020).

A view calls `render_page(request, "app/page.html", context)` instead of
`django.shortcuts.render`. The template is a Jinja2 file under an app's `jinja2/` directory with
up to three blocks, `title`, `head` and `content`, as the Django page template had them. Each block
is rendered by Jinja2 with the view's context (and `request`), then placed, as safe text, into
`base.html` by `core/jinja_page.html`: the layout, its menu, messages, language switch and CSRF
tokens stay Django templates with their context processors, in one file.

What a page template may use (and nothing else; the environment is below):

- the view's context and `request`; no context processor runs for the content, so anything
  else a block needs the view passes;
- `{{ _("Text") }}` for Django's gettext (in the request's language; printed escaped, as
  `{% translate %}` prints it), and
  `{{ _("Case %(ref)s")|fill(ref=x) }}` for a text with values: what
  `{% blocktranslate with ref=x %}Case {{ ref }}{% endblocktranslate %}` gave, the values
  escaped as Django escapes them, the translation not (makemessages finds both forms);
- `url("app:name", arg, ...)`: django.urls.reverse with positional arguments;
- `static("path")`: the static file's URL, as `{% static %}` gives it;
- `value|date("j F Y")`: Django's `date` filter on the value in the current time zone
  (Europe/Amsterdam), the same text as `{{ value|date:"j F Y" }}`;
- `value|default_if_empty("—")`: Django's `default` filter (Jinja2's `default` only replaces
  undefined values);
- `django_include("app/_part.html", name=value, ...)`: a Django template rendered with exactly
  these values (no request, no context processors), for a part that stays a Django template
  because other pages include it too.

Printed values are escaped by Django's conditional_escape, as in the form renderer
(kring.core.forms.environment, whose settings this environment shares).
"""

import threading
from typing import Any

import jinja2
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from kring.core import forms

LAYOUT = "core/jinja_page.html"
BLOCKS = ("title", "head", "content")


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args or None)


def date(value: Any, arg: str | None = None) -> str:
    """Django's |date filter as a Django template applies it: on the value in the current time
    zone (the filter's expects_localtime)."""
    return defaultfilters.date(template_localtime(value), arg)


def fill(translation: Any, **values: Any) -> SafeString:
    """A translated text with its %(name)s values, as blocktranslate fills it: the values escaped
    by Django, the translation itself printed as it stands."""
    return mark_safe(str(translation) % {k: conditional_escape(v) for k, v in values.items()})


def default_if_empty(value: Any, arg: Any) -> Any:
    return defaultfilters.default(value, arg)


def django_include(template_name: str, **context: Any) -> SafeString:
    return mark_safe(get_template(template_name).render(context))


def environment(**options: Any) -> jinja2.Environment:
    """The form renderer's environment (Django's escaping, gettext, line ends), with the page
    helpers listed in this module's docstring."""
    env = forms.environment(**options)
    # Plain gettext, not the newstyle callables of the forms: `_("...")` gives the translation
    # unescaped and unformatted; printed, Django's escaping applies to it as {% translate %}
    # escapes it, and |fill formats it as blocktranslate does.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals.update(url=url, static=static, django_include=django_include)
    env.filters.update(date=date, fill=fill, default_if_empty=default_if_empty)
    return env


_engine_lock = threading.Lock()
_engine: Jinja2 | None = None


def engine() -> Jinja2:
    """One engine per process, made on first use: the page templates under each app's jinja2/."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = Jinja2(
                    {
                        "APP_DIRS": True,
                        "DIRS": [],
                        "NAME": "kring-pages",
                        "OPTIONS": {"environment": "kring.core.pages.environment"},
                    }
                )
    return _engine


def render_blocks(request: HttpRequest, template_name: str, context: dict) -> dict[str, SafeString]:
    """Each block of the page's Jinja2 template, rendered; a block the template lacks is empty."""
    template = engine().get_template(template_name).template  # type: ignore[attr-defined]
    jinja_context = template.new_context({**context, "request": request})
    return {
        f"page_{name}": mark_safe(
            "".join(template.blocks[name](jinja_context)) if name in template.blocks else ""
        )
        for name in BLOCKS
    }


def render_page(
    request: HttpRequest, template_name: str, context: dict, status: int | None = None
) -> HttpResponse:
    """The page: its Jinja2 content in base.html, as render() would give the Django page."""
    return render(request, LAYOUT, render_blocks(request, template_name, context), status=status)
