from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role

# The menu per role; the first entry is the role's start page. Only URL names: the pages
# themselves belong to the apps above.
NAV = {
    Role.OFFICE: [
        ("cases:inbox", _("Requests")),
        ("cases:team_cases", _("Team cases")),
        ("scheduling:calendar", _("Calendar")),
        ("scheduling:venues", _("Venues")),
    ],
    Role.COORDINATOR: [("cases:my_cases", _("My cases"))],
    Role.MANAGER: [
        ("cases:team_cases", _("Team cases")),
        ("cases:inbox", _("Requests")),
        ("followup:overdue", _("Agreements past their date")),
        ("scheduling:calendar", _("Calendar")),
        ("scheduling:venues", _("Venues")),
        ("audit:log", _("Access log")),
        ("research:home", _("Figures")),
    ],
    Role.RESEARCHER: [("research:home", _("Figures"))],
    Role.ADMINISTRATOR: [
        ("admin:index", _("Administration")),
        ("research:import", _("Import earlier conferences")),
    ],
}


def start_url(user) -> str:
    """The first page of the user's role; a user without a role (or with a role that has no
    pages) gets the page that says so, never the front page, which would send them back here."""
    entries = NAV.get(user.role)
    return reverse(entries[0][0]) if entries else reverse("accounts:no_role")


def nav_items(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for name, label in NAV.get(user.role, []):
        url = reverse(name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return items
