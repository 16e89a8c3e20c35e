from django.urls import path

from kring.research import views

app_name = "research"
urlpatterns = [
    path("onderzoek/", views.home, name="home"),
]
