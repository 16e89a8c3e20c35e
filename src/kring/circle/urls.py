from django.urls import path

from kring.circle import notice_views, views

app_name = "circle"
p = "zaken/<int:pk>/kring/<int:participant_id>/"
urlpatterns = [
    path("zaken/<int:pk>/voorbereiding/starten/", views.start, name="start"),
    path("zaken/<int:pk>/kring/", views.overview, name="overview"),
    path("zaken/<int:pk>/kring/nieuw/", views.add, name="add"),
    path(p, views.edit, name="edit"),
    path(p + "gesprek/", views.conversation, name="conversation"),
    path(p + "erkenning/", views.acknowledgment, name="acknowledgment"),
    path(p + "uitnodigen/", views.invite, name="invite"),
    path(p + "nieuwe-link/", views.reissue, name="reissue"),
    path(p + "antwoord/", views.respond, name="respond"),
    path(p + "toestemming/", views.consent, name="consent"),
    path(p + "voordragen/", views.nominate, name="nominate"),
    path(p + "terugtrekken/", views.withdraw, name="withdraw"),
    path(p + "verwijderen/", views.remove, name="remove"),
    path(p + "terugkomst/", notice_views.record_return, name="record_return"),
    path("zaken/<int:pk>/vragen/<int:question_id>/", notice_views.answer, name="answer"),
    path(
        "zaken/<int:pk>/meldingen/<int:notice_id>/afgehandeld/",
        notice_views.handle_notice,
        name="handle_notice",
    ),
    path(
        "zaken/<int:pk>/kring/uit-aanvraag/<int:person_id>/",
        views.add_from_request,
        name="add_from_request",
    ),
    path("zaken/<int:pk>/voordrachten/<int:nomination_id>/", views.nomination, name="nomination"),
    path("zaken/<int:pk>/veiligheid/nieuw/", views.risk_add, name="risk_add"),
    path("zaken/<int:pk>/veiligheid/<int:risk_id>/", views.risk_resolve, name="risk_resolve"),
]
