from django.urls import path

from kring.research import views

app_name = "research"
urlpatterns = [
    # The figures (helper D): the page (researchers: every team; managers: their own), its
    # exports, the free-text answers (managers).
    path("onderzoek/", views.home, name="home"),
    # The historical import (helper B).
    # The questionnaires (helper C): the personal page, the case's panel and paper.
]
