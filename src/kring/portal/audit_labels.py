"""How the access log names what participants do on their personal page (registered in
portal/apps.py with kring.audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "portal.entered": _("Opened the personal page with the personal link"),
    "portal.viewed": _("Read their personal page"),
    "portal.left": _("Left the personal page"),
}
