from django.urls import path  # noqa: F401  (the parts of the conference add their pages here)

app_name = "conference"

urlpatterns: list = [
    # --- conference mode: check-in, the rounds (issue 10, points 1 and 6) ---
    # --- the plan and its editing (issue 10, points 2 and 4) ---
    # --- versions (issue 10, point 5) ---
    # --- the second screen and the printout (issue 10, points 3 and 7) ---
]
