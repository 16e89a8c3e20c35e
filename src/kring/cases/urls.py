from django.urls import path

from kring.cases import views

app_name = "cases"
urlpatterns = [
    path("kantoor/aanmeldingen/", views.inbox, name="inbox"),
    path("kantoor/aanmeldingen/<int:pk>/", views.request_detail, name="request_detail"),
    path("zaken/", views.team_cases, name="team_cases"),
    path("mijn-zaken/", views.my_cases, name="my_cases"),
    path("zaken/<int:pk>/", views.case_detail, name="detail"),
    path("zaken/<int:pk>/aannemen/", views.take_on, name="take_on"),
    path("zaken/<int:pk>/afwijzen/", views.decline, name="decline"),
    path("zaken/<int:pk>/toewijzen/", views.assign, name="assign"),
    path("zaken/<int:pk>/aanbod/", views.offer, name="offer"),
    path("zaken/<int:pk>/stoppen/", views.stop, name="stop"),
    path("zaken/<int:pk>/teruggeven/", views.hand_back_case, name="hand_back"),
]
