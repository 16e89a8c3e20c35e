"""Masks of a person's own contact details for pages reached by a personal link
(core.contact_details; issue 8, point 5)."""

from django import template

from kring.core import contact_details

register = template.Library()


@register.filter
def mask_phone(value) -> str:
    return contact_details.mask_phone(str(value or ""))


@register.filter
def mask_email(value) -> str:
    return contact_details.mask_email(str(value or ""))
