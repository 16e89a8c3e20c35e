from django.urls import path  # noqa: F401  (the parts of scheduling add their pages here)

app_name = "scheduling"

urlpatterns: list = []
