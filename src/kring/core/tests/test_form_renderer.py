"""The form renderer (issue 15, point 3): Jinja2, one environment per process shared by every
thread, Django's templates only for what exists in no Jinja2 version, and templates read again
after a change only with DEBUG on. That the markup of every form is unchanged:
tests/forms/test_form_markup.py."""

import os
from concurrent.futures import ThreadPoolExecutor

import jinja2
from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test import override_settings
from django.utils import translation

from kring.core.forms import KringFormRenderer


class Form(forms.Form):
    """A radio group, a required and an optional text, a hint and a checkbox."""

    side = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    name = forms.CharField(help_text="As on the letter.")
    place = forms.CharField(required=False)
    agree = forms.BooleanField()


def test_the_tests_render_forms_as_production_does():
    # kring.settings_test takes FORM_RENDERER from kring.settings unchanged.
    from kring import settings as production

    assert (
        settings.FORM_RENDERER == production.FORM_RENDERER == "kring.core.forms.KringFormRenderer"
    )
    assert isinstance(get_default_renderer(), KringFormRenderer)


def test_one_renderer_and_one_jinja2_environment_per_process():
    renderer = get_default_renderer()
    str(Form())
    assert get_default_renderer() is renderer
    assert isinstance(renderer.engine.env, jinja2.Environment)
    first = renderer.get_template("core/forms/field.html")
    assert isinstance(first, Jinja2Template)
    # Compiled once: the environment hands out the same template again.
    assert renderer.get_template("core/forms/field.html").template is first.template
    assert renderer.get_template("django/forms/widgets/input.html").template is (
        renderer.get_template("django/forms/widgets/input.html").template
    )


def test_a_template_that_exists_only_for_django_templates_is_rendered_by_them():
    renderer = get_default_renderer()
    template = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert isinstance(template, DjangoTemplate)


def test_threads_in_different_languages_render_each_in_their_own():
    def render(language):
        with translation.override(language):
            return language, str(Form({"name": "O'Brien"}))

    expected = dict(render(language) for language in ("nl", "en"))
    assert "(niet verplicht)" in expected["nl"] and "Fout:" in expected["nl"]
    assert "(optional)" in expected["en"] and "Error:" in expected["en"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render, ["nl", "en"] * 20))
    assert len(results) == 40
    for language, text in results:
        assert text == expected[language], language


def _render_changed_template(tmp_path) -> tuple[str, str]:
    """A fresh renderer renders a template, which then changes on disk (a later mtime)."""
    renderer = KringFormRenderer()
    renderer.engine.env.loader.searchpath.insert(0, str(tmp_path))
    probe = tmp_path / "probe.html"
    probe.write_text("before")
    before = renderer.render("probe.html", {})
    probe.write_text("after")
    stat = probe.stat()
    os.utime(probe, (stat.st_atime, stat.st_mtime + 10))
    return before, renderer.render("probe.html", {})


def test_with_debug_on_a_changed_template_is_read_again(tmp_path):
    with override_settings(DEBUG=True):
        assert _render_changed_template(tmp_path) == ("before", "after")


def test_without_debug_a_template_is_compiled_once(tmp_path):
    with override_settings(DEBUG=False):
        assert _render_changed_template(tmp_path) == ("before", "before")
