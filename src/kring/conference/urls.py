from django.urls import path

from kring.conference import versions_views, views_plan, views_print, views_screen
from kring.conference import views as mode_views

app_name = "conference"

urlpatterns: list = [
    # --- conference mode: check-in, the rounds (issue 10, points 1 and 6) ---
    path("zaken/<int:pk>/conferentie/", mode_views.mode, name="mode"),
    path("zaken/<int:pk>/conferentie/aanwezig/", mode_views.check_in, name="check_in"),
    path("zaken/<int:pk>/conferentie/beginnen/", mode_views.start, name="start"),
    path("zaken/<int:pk>/conferentie/voorstellen/", mode_views.introductions, name="introductions"),
    path(
        "zaken/<int:pk>/conferentie/ronde/<int:round_id>/",
        mode_views.round_done,
        name="round_done",
    ),
    path("zaken/<int:pk>/conferentie/rechtzetten/", mode_views.repair_round, name="repair_round"),
    # --- the plan and its editing (issue 10, points 2 and 4) ---
    path("zaken/<int:pk>/plan/", views_plan.plan_page, name="plan"),
    path("zaken/<int:pk>/plan/beginnen/", views_plan.plan_begin, name="plan_begin"),
    path("zaken/<int:pk>/plan/opslaan/", views_plan.plan_save, name="plan_save"),
    path("zaken/<int:pk>/plan/ideeen/", views_plan.idea_add, name="idea_add"),
    path("zaken/<int:pk>/plan/ideeen/<int:row_id>/", views_plan.idea_save, name="idea_save"),
    path(
        "zaken/<int:pk>/plan/ideeen/<int:row_id>/weghalen/",
        views_plan.idea_remove,
        name="idea_remove",
    ),
    path("zaken/<int:pk>/plan/afspraken/", views_plan.agreement_add, name="agreement_add"),
    path(
        "zaken/<int:pk>/plan/afspraken/<int:row_id>/",
        views_plan.agreement_save,
        name="agreement_save",
    ),
    path(
        "zaken/<int:pk>/plan/afspraken/<int:row_id>/weghalen/",
        views_plan.agreement_remove,
        name="agreement_remove",
    ),
    path(
        "zaken/<int:pk>/plan/afspraken/<int:row_id>/verplaatsen/",
        views_plan.agreement_move,
        name="agreement_move",
    ),
    # --- versions (issue 10, point 5) ---
    path("zaken/<int:pk>/plan/vaststellen/", versions_views.finalise, name="finalise"),
    path("zaken/<int:pk>/plan/versies/", versions_views.version_list, name="versions"),
    path(
        "zaken/<int:pk>/plan/versies/<int:number>/",
        versions_views.version_detail,
        name="version",
    ),
    path("zaken/<int:pk>/conferentie/informeel/", versions_views.informal, name="informal"),
    path(
        "zaken/<int:pk>/conferentie/niet-doorgegaan/",
        versions_views.record_not_held,
        name="not_held",
    ),
    # --- the second screen and the printout (issue 10, points 3 and 7) ---
    path("zaken/<int:pk>/plan/scherm/", views_screen.screen, name="screen"),
    path("zaken/<int:pk>/plan/scherm/inhoud/", views_screen.screen_content, name="screen_content"),
    path("zaken/<int:pk>/plan/afdrukken/", views_print.print_plan, name="print"),
    path("zaken/<int:pk>/plan/papier/", views_print.paper_form, name="paper_form"),
    path("zaken/<int:pk>/conferentie/op-papier/", views_print.on_paper, name="on_paper"),
]
