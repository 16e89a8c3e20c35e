from django.urls import path

from kring.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("geen-rol/", views.no_role, name="no_role"),
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/instellen/", views.setup, name="setup"),
    path("inloggen/code/", views.verify, name="verify"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("herstelcodes/nieuw/", views.regenerate_recovery_codes, name="recovery_codes_regenerate"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("contactgegevens/", views.contact_details, name="contact_details"),
]
