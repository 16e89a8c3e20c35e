from django.urls import path

from kring.portal import questions, views

app_name = "portal"
urlpatterns = [
    path("p/<str:token>/", views.enter, name="enter"),
    path("portaal/", views.home, name="home"),
    path("portaal/antwoord/", views.respond, name="respond"),
    path("portaal/toestemming/", views.consent, name="consent"),
    path("portaal/voordragen/", views.nominate, name="nominate"),
    path("portaal/terugtrekken/", views.withdraw, name="withdraw"),
    path("portaal/vraag/", questions.ask, name="question"),
    path("portaal/afsluiten/", views.leave, name="leave"),
]
