"""The line of the error summary (core/_error_summary.html): a field's label and its error."""

from django import template

from kring.core.forms import summary_line

register = template.Library()


@register.simple_tag
def error_line(label, error) -> str:
    return summary_line(label, error)
