from django.urls import path  # noqa: F401  (the parts of scheduling add their pages here)

from kring.scheduling import invitation_views, poll_views, portal_views, venue_views, views

app_name = "scheduling"

urlpatterns: list = [
    # --- venues and the office's calendar (issue 9, points 1 and 8) ---
    path("locaties/", venue_views.venue_list, name="venues"),
    path("locaties/nieuw/", venue_views.venue_add, name="venue_add"),
    path("locaties/<int:pk>/", venue_views.venue_edit, name="venue_edit"),
    path("locaties/<int:pk>/buiten-gebruik/", venue_views.venue_retire, name="venue_retire"),
    path("locaties/<int:pk>/weer-in-gebruik/", venue_views.venue_reinstate, name="venue_reinstate"),
    path("agenda/", venue_views.week_calendar, name="calendar"),
    # --- the date poll (issue 9, point 2) ---
    path("zaken/<int:pk>/datum/", poll_views.poll_page, name="poll"),
    path(
        "zaken/<int:pk>/datum/<int:option_id>/weghalen/",
        poll_views.remove_option,
        name="remove_option",
    ),
    path(
        "zaken/<int:pk>/datum/telefonisch/<int:participant_id>/",
        poll_views.enter_answers,
        name="enter_answers",
    ),
    path("zaken/<int:pk>/datum/herinneren/", poll_views.remind, name="remind"),
    path("portaal/datum/", portal_views.answer_poll, name="answer_poll"),
    # --- confirming, moving and cancelling the meeting (issue 9, points 5 and 7) ---
    path(
        "conferenties/<int:pk>/datum/<int:option_id>/vastleggen/",
        views.confirm,
        name="confirm",
    ),
    path("conferenties/<int:pk>/verplaatsen/", views.move, name="move"),
    path("conferenties/<int:pk>/afzeggen/", views.cancel, name="cancel"),
    # --- invitations: the letter and the calendar file (issue 9, point 5) ---
    path(
        "conferenties/<int:pk>/brief/<int:participant_id>/",
        invitation_views.letter,
        name="meeting_letter",
    ),
    path("portaal/conferentie/<int:pk>.ics", invitation_views.calendar_file, name="calendar_file"),
]
