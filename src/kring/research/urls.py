from django.urls import path

from kring.research import case_views, import_views, portal_views, views

app_name = "research"
urlpatterns = [
    # The figures (helper D): the page (researchers: every team; managers: their own), its
    # exports, the free-text answers (managers).
    path("onderzoek/", views.home, name="home"),
    path("onderzoek/export.<str:fmt>", views.export, name="export"),
    path("onderzoek/opmerkingen/", views.remarks, name="remarks"),
    # The historical import (helper B).
    path("onderzoek/importeren/", import_views.import_history, name="import"),
    # The questionnaires (helper C): the personal page, the case's panel and paper.
    path(
        "portaal/vragenlijst/<int:round>/",
        portal_views.questionnaire,
        name="questionnaire",
    ),
    path(
        "zaken/<int:pk>/vragenlijst/<int:invitation>/papier/",
        case_views.on_paper,
        name="on_paper",
    ),
    path(
        "vragenlijst/afdrukken/<str:role>/",
        case_views.print_questionnaire,
        name="print",
    ),
]
