"""`{% organisation_contact as contact %}`: the organisation's contact (accounts.contact) for a
template whose view or mail has no case, such as the requester's e-mails."""

from django import template

from kring.accounts import contact

register = template.Library()


@register.simple_tag
def organisation_contact() -> contact.Contact:
    return contact.organisation()
