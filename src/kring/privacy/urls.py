"""The privacy app's pages: the legal hold of a case (issue 14, point 7: hold_views), and a
participant's rights (point 8: rights_views): export, correction, erasure."""

from django.urls import path

from kring.privacy import hold_views, rights_views

app_name = "privacy"

_person = "zaken/<int:pk>/kring/<int:participant_id>/"
urlpatterns = [
    path(_person + "gegevens/", rights_views.export_preview, name="export"),
    path(_person + "gegevens/<str:fmt>/", rights_views.export_download, name="export_download"),
    path(_person + "corrigeren/", rights_views.correct, name="correct"),
    path(_person + "wissen/", rights_views.erase, name="erase"),
    path(_person + "wissen/verzoek/", rights_views.note_request, name="note_request"),
    path("zaken/<int:pk>/bewaarplicht/", hold_views.place_hold, name="place_hold"),
    path("zaken/<int:pk>/bewaarplicht/opheffen/", hold_views.lift_hold, name="lift_hold"),
]
