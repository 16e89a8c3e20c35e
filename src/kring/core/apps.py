from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kring.core"
    label = "core"

    def ready(self):
        from kring.core import checks as _checks  # noqa: F401 (registers the checks)
