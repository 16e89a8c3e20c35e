from django.urls import path  # noqa: F401  (the parts of follow-up add their pages here)

from kring.followup import closing_views, overdue_views, portal_views, views

app_name = "followup"

urlpatterns: list = [
    # --- the tracker on the case, states, answers, the contact (issue 12, points 1-3) ---
    path("zaken/<int:pk>/afspraken/", views.tracker, name="tracker"),
    path("zaken/<int:pk>/afspraken/<int:tracked_id>/stand/", views.set_state, name="set_state"),
    path(
        "zaken/<int:pk>/afspraken/melding/<int:report_id>/antwoord/",
        views.answer,
        name="answer",
    ),
    path(
        "zaken/<int:pk>/afspraken/melding/<int:report_id>/bevestigen/",
        views.confirm,
        name="confirm",
    ),
    path(
        "zaken/<int:pk>/afspraken/melding/<int:report_id>/terugvragen/",
        views.ask_back,
        name="ask_back",
    ),
    path("zaken/<int:pk>/nazorgcontact/<int:contact_id>/", views.contact, name="contact"),
    # --- the team's overdue agreements (issue 12, point 1) ---
    path("team/afspraken/", overdue_views.overdue, name="overdue"),
    # --- the agreements on the personal page (issue 12, point 2) ---
    path("portaal/afspraken/", portal_views.agreements, name="portal"),
    path(
        "portaal/afspraken/<int:tracked_id>/gedaan/",
        portal_views.report_done,
        name="portal_report_done",
    ),
    path(
        "portaal/afspraken/<int:tracked_id>/niet-nagekomen/",
        portal_views.invoke,
        name="portal_invoke",
    ),
    # --- closing (issue 12, point 5) ---
    path("zaken/<int:pk>/afsluiten/", closing_views.close, name="close"),
]
