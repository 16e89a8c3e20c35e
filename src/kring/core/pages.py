"""A page's content rendered by Jinja2, inside the one Django layout (issue 15, ADR 0020).

A view calls `render_page(request, "app/page.html", context)` instead of
`django.shortcuts.render`. The template is a Jinja2 file under an app's `jinja2/` directory with
up to three blocks, `title`, `head` and `content`, as the Django page template had them. Each block
is rendered by Jinja2 with the view's context (and `request`), then placed, as safe text, into
`base.html` by `core/jinja_page.html`: the layout, its menu, messages, language switch and CSRF
tokens stay Django templates with their context processors, in one file.

What a page template may use (and nothing else; the environment is below):

- the view's context, `request` and `csrf_token` (as Django's csrf context processor gives it);
  no other context processor runs for the content, so anything else a block needs the view
  passes;
- `{{ _("Text") }}` for Django's gettext (in the request's language; printed as it stands,
  as `{% translate "Text" %}` prints it), and
  `{{ _("Case %(ref)s")|fill(ref=x) }}` for a text with values: what
  `{% blocktranslate with ref=x %}Case {{ ref }}{% endblocktranslate %}` gave, the values
  escaped as Django escapes them, the translation not (makemessages finds both forms);
- `url("app:name", arg, ...)`: django.urls.reverse with positional arguments (primary keys put
  into a pattern reversed once);
- `static("path")`: the static file's URL, as `{% static %}` gives it;
- `value|date("j F Y")`: Django's `date` filter on the value in the current time zone
  (Europe/Amsterdam), the same text as `{{ value|date:"j F Y" }}`; "c", "j F Y" and
  "j F Y, H:i" are written without parsing the format;
- `value|default_if_empty("—")`: Django's `default` filter (Jinja2's `default` only replaces
  undefined values);
- `django_include("app/_part.html", name=value, ...)`: a Django template rendered with exactly
  these values (no request, no context processors), for a part that stays a Django template
  because other pages include it too.

Printed values are escaped by Django's conditional_escape, as in the form renderer
(kring.core.forms.environment, whose settings this environment shares).
"""

import datetime
import threading
from collections.abc import Callable
from typing import Any

import jinja2
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2
from django.template.context_processors import csrf
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext, ngettext

from kring.core import forms

LAYOUT = "core/jinja_page.html"
BLOCKS = ("title", "head", "content")


# A number no primary key reaches, reversed in a URL's place of an integer argument.
_PLACEHOLDER = 987654321987654321
_url_patterns: dict[tuple, str] = {}


def url(name: str, *args: Any) -> str:
    """reverse(name, args=args). With only integer arguments (primary keys), the name is reversed
    once per URL configuration and script prefix, with a placeholder per argument, and each URL
    is that pattern with the numbers put in: what reverse() gives for a number (IntConverter
    prints str(n)), at a fraction of its cost, for the 25 rows of a list (issue 15)."""
    if not args or not all(type(arg) is int and arg >= 0 for arg in args):
        return reverse(name, args=args or None)
    key = (name, len(args), get_script_prefix(), get_urlconf(), get_resolver(get_urlconf()))
    pattern = _url_patterns.get(key)
    if pattern is None:
        placeholders = [str(_PLACEHOLDER + i) for i in range(len(args))]
        try:
            pattern = reverse(name, args=placeholders)
        except NoReverseMatch:  # a pattern that takes no number that long: as reverse() does
            return reverse(name, args=args)
        if not all(pattern.count(p) == 1 for p in placeholders):
            return reverse(name, args=args)
        for i, placeholder in enumerate(placeholders):
            pattern = pattern.replace(placeholder, f"{{{i}}}")
        if len(_url_patterns) > 1000:  # URL configurations changed by tests, at most
            _url_patterns.clear()
        _url_patterns[key] = pattern
    return pattern.format(*args)


def _day_month_year(value: Any) -> str:
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"


# The formats Kring's page templates use, written as django.utils.dateformat writes them (j: the
# day without zero, F: the month's name in the active language, Y: four digits, H and i: two
# digits, c: isoformat()), without parsing the format on every call.
_FORMATS: dict[str, Callable[[Any], str]] = {
    "c": lambda value: value.isoformat(),
    "j F Y": _day_month_year,
    "j F Y, H:i": lambda value: f"{_day_month_year(value)}, {value.hour:02d}:{value.minute:02d}",
}


def date(value: Any, arg: str | None = None) -> str:
    """Django's |date filter as a Django template applies it: on the value in the current time
    zone (the filter's expects_localtime). The formats in _FORMATS without parsing them; any
    other through the filter itself."""
    value = template_localtime(value)
    fast = _FORMATS.get(arg or "")
    if fast is not None and isinstance(value, datetime.date):
        if ":" in (arg or "") and not isinstance(value, datetime.datetime):
            return defaultfilters.date(value, arg)  # a date has no time: Django's message
        return str(fast(value))
    return defaultfilters.date(value, arg)


def fill(translation: Any, **values: Any) -> SafeString:
    """A translated text with its %(name)s values, as blocktranslate fills it: the values escaped
    by Django, the translation itself printed as it stands."""
    return mark_safe(str(translation) % {k: conditional_escape(v) for k, v in values.items()})


def _safe_gettext(message: str) -> SafeString:
    return mark_safe(gettext(message))


def _safe_ngettext(singular: str, plural: str, number: int) -> SafeString:
    return mark_safe(ngettext(singular, plural, number))


def default_if_empty(value: Any, arg: Any) -> Any:
    return defaultfilters.default(value, arg)


def django_include(template_name: str, **context: Any) -> SafeString:
    return mark_safe(get_template(template_name).render(context))


def environment(**options: Any) -> jinja2.Environment:
    """The form renderer's environment (Django's escaping, gettext, line ends), with the page
    helpers listed in this module's docstring."""
    env = forms.environment(**options)
    # Not the newstyle callables of the forms, which format every text with %: `_("...")` gives
    # the translation as it stands, safe, as {% translate "..." %} prints it (a constant is safe
    # in a Django template, and so is its translation), and |fill formats it as blocktranslate
    # does.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _safe_gettext, _safe_ngettext, newstyle=False
    )
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
    template = engine().get_template(template_name).template
    jinja_context = template.new_context({**context, **csrf(request), "request": request})
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
