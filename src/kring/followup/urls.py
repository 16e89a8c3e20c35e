from django.urls import path  # noqa: F401  (the parts of follow-up add their pages here)

app_name = "followup"

urlpatterns: list = [
    # --- the tracker on the case, states, answers, the contact (issue 12, points 1-3) ---
    # --- the team's overdue agreements (issue 12, point 1) ---
    # --- the agreements on the personal page (issue 12, point 2) ---
    # --- closing (issue 12, point 5) ---
]
