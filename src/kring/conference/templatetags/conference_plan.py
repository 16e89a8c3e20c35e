"""`{{ value|as_date|date:"j F Y" }}`: a date of the plan's canonical dict (an ISO string)
as a date to format (conference.presentation.as_date)."""

from django import template

from kring.conference import presentation

register = template.Library()


@register.filter
def as_date(value):
    return presentation.as_date(value)
