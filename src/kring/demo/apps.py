from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`kring demo` and `kring load_demo`: the top layer, it may use every other app."""

    name = "kring.demo"
    label = "demo"
