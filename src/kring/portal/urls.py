from django.urls import path

from kring.portal import codes, questions, views

app_name = "portal"
urlpatterns = [
    path("p/<str:token>/", views.enter, name="enter"),
    path("code/", codes.enter_code, name="code"),  # the short address on a letter
    path("portaal/", views.home, name="home"),
    path("portaal/antwoord/", views.respond, name="respond"),
    path("portaal/toestemming/", views.consent, name="consent"),
    path("portaal/voordragen/", views.nominate, name="nominate"),
    path("portaal/terugtrekken/", views.withdraw, name="withdraw"),
    path("portaal/vraag/", questions.ask, name="question"),
    path("portaal/afsluiten/", views.leave, name="leave"),
]
