"""`kring <command>`: Django's management commands with Kring's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo switches itself on before the settings load (kring/demo/.../demo.py). Not
        # DEBUG: the demo shows Kring's error pages, never Django's debug page with the URL map.
        os.environ.setdefault("KRING_DEMO_MODE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
