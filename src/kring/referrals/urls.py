from django.urls import path

from kring.referrals import views

app_name = "referrals"
urlpatterns = [
    path("aanvragen/", views.new_referral, name="new"),
    path("aanvragen/verzonden/", views.sent, name="sent"),
    path("privacy/", views.privacy, name="privacy"),
]
