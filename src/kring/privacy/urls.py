"""The privacy app's pages: the legal hold of a case, and a participant's rights (export,
correction, erasure)."""

app_name = "privacy"
urlpatterns: list = []
