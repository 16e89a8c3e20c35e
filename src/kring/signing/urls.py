from django.urls import path  # noqa: F401  (the parts of signing add their pages here)

app_name = "signing"

urlpatterns: list = [
    # --- signing on the tablet, declining, the overview (issue 11, points 1 and 2) ---
    # --- the copies: deliveries, cover letter, the PDF (issue 11, point 4) ---
    # --- remote signing in the portal, the copy there (issue 11, points 1 and 4) ---
    # --- the public verification page (issue 11, point 5) ---
]
