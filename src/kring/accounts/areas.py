"""Which team works where (issue 8, point 7; docs/rules.md "Roles"): a request names a place,
a municipality or a postcode, and goes to the team whose area holds it. A place no team works
in, or no place at all, goes to the central inbox: the requests without a team, which every
office worker sees and may take on for their own team.

The areas are kept by the administrator (accounts.models.TeamArea, on the team's page in
/beheer/)."""

import re

from kring.accounts.models import Team, TeamArea, municipality_key

# "8011", "8011 AB", "8011AB", "8011 ab Zwolle": the 4 digits of a Dutch postcode first.
_POSTCODE = re.compile(r"^\s*([1-9]\d{3})(?:\s*[A-Za-z]{2})?\b")


def postcode_number(place: str) -> int | None:
    """The 4 digits of the postcode `place` starts with, or None."""
    match = _POSTCODE.match(place or "")
    return int(match.group(1)) if match else None


def team_for_place(place: str) -> Team | None:
    """The team that works in `place` (a postcode, or a municipality's name), or None for the
    central inbox. A postcode is looked up in the ranges; what follows it ("8011 AB Zwolle"),
    or a place without a postcode, as a municipality."""
    place = (place or "").strip()
    if not place:
        return None
    number = postcode_number(place)
    if number is not None:
        area = (
            TeamArea.objects.filter(postcode_from__lte=number, postcode_to__gte=number)
            .select_related("team")
            .first()
        )
        if area is not None:
            return area.team
        place = _POSTCODE.sub("", place)
    key = municipality_key(place)
    if not key:
        return None
    area = TeamArea.objects.filter(municipality_key=key).select_related("team").first()
    return area.team if area is not None else None
