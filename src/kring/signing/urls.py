from django.urls import path  # noqa: F401  (the parts of signing add their pages here)

from kring.signing import portal_views, verify_views

app_name = "signing"

urlpatterns: list = [
    # --- signing on the tablet, declining, the overview (issue 11, points 1 and 2) ---
    # --- the copies: deliveries, cover letter, the PDF (issue 11, point 4) ---
    # --- remote signing in the portal, the copy there (issue 11, points 1 and 4) ---
    path("portaal/ondertekenen/", portal_views.portal_sign, name="portal_sign"),
    path("portaal/ondertekenen/code/", portal_views.portal_code, name="portal_code"),
    path("portaal/ondertekenen/weigeren/", portal_views.portal_decline, name="portal_decline"),
    path("portaal/plan.pdf", portal_views.portal_document, name="portal_document"),
    # --- the public verification page (issue 11, point 5) ---
    path("controleren/", verify_views.verify_page, name="verify"),
]
