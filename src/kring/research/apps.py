from django.apps import AppConfig


class ResearchConfig(AppConfig):
    """The research stage (R16): for now only the researcher's start page."""

    name = "kring.research"
    label = "research"
