"""The privacy app's pages: the legal hold of a case, and a participant's rights (export,
correction, erasure)."""

app_name = "privacy"
urlpatterns: list = []

# A participant's rights (issue 14, point 8): privacy/rights_views.py.
from django.urls import path  # noqa: E402

from kring.privacy import rights_views  # noqa: E402

_person = "zaken/<int:pk>/kring/<int:participant_id>/"
urlpatterns += [
    path(_person + "gegevens/", rights_views.export_preview, name="export"),
    path(
        _person + "gegevens/<str:fmt>/",
        rights_views.export_download,
        name="export_download",
    ),
    path(_person + "corrigeren/", rights_views.correct, name="correct"),
    path(_person + "wissen/", rights_views.erase, name="erase"),
    path(_person + "wissen/verzoek/", rights_views.note_request, name="note_request"),
]

# The legal hold of a case (issue 14, point 7): privacy/hold_views.py.
from kring.privacy import hold_views  # noqa: E402

urlpatterns += [
    path("zaken/<int:pk>/bewaarplicht/", hold_views.place_hold, name="place_hold"),
    path("zaken/<int:pk>/bewaarplicht/opheffen/", hold_views.lift_hold, name="lift_hold"),
]
