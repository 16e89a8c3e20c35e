from django.urls import path  # noqa: F401  (the parts of signing add their pages here)

from kring.signing import copies_views, portal_views, verify_views
from kring.signing import views as tablet_views

app_name = "signing"

urlpatterns: list = [
    # --- signing on the tablet, declining, the overview (issue 11, points 1 and 2) ---
    path("zaken/<int:pk>/ondertekenen/", tablet_views.overview, name="overview"),
    path(
        "zaken/<int:pk>/ondertekenen/<int:participant_id>/<str:role>/",
        tablet_views.sign_in_person,
        name="sign_in_person",
    ),
    path(
        "zaken/<int:pk>/ondertekenen/<int:participant_id>/<str:role>/weigeren/",
        tablet_views.decline_in_person,
        name="decline_in_person",
    ),
    # --- the copies: deliveries, cover letter, the PDF (issue 11, point 4) ---
    path("zaken/<int:pk>/kopieen/", copies_views.copies, name="copies"),
    path("zaken/<int:pk>/kopieen/plan.pdf", copies_views.document_pdf, name="document_pdf"),
    path(
        "zaken/<int:pk>/kopieen/brief/<int:participant_id>/",
        copies_views.cover_letter,
        name="cover_letter",
    ),
    path(
        "zaken/<int:pk>/kopieen/<int:participant_id>/afgedrukt/",
        copies_views.mark_printed,
        name="mark_printed",
    ),
    path(
        "zaken/<int:pk>/kopieen/<int:participant_id>/opnieuw/",
        copies_views.resend,
        name="resend",
    ),
    # --- remote signing in the portal, the copy there (issue 11, points 1 and 4) ---
    path("portaal/ondertekenen/", portal_views.portal_sign, name="portal_sign"),
    path("portaal/ondertekenen/code/", portal_views.portal_code, name="portal_code"),
    path("portaal/ondertekenen/weigeren/", portal_views.portal_decline, name="portal_decline"),
    path("portaal/plan.pdf", portal_views.portal_document, name="portal_document"),
    # --- the public verification page (issue 11, point 5) ---
    path("controleren/", verify_views.verify_page, name="verify"),
]
