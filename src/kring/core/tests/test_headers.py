"""Security headers on every response (issue 2, point 9)."""

from django.urls import reverse


def test_public_pages_carry_strict_security_headers(client, db):
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=")
    assert response["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_another_host(client, db):
    html = client.get(reverse("core:home")).content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_the_interface_is_dutch_by_default_and_english_on_request(db):
    from django.test import Client

    client = Client()  # no Accept-Language: a visitor whose browser states no preference
    assert '<html lang="nl">' in client.get(reverse("core:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("core:home")).content.decode()


def test_times_are_shown_in_amsterdam(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ


def test_the_demo_banner_sits_inside_the_header_landmark(client, db, settings):
    import re

    settings.DEMO_MODE = True
    html = client.get(reverse("core:home")).content.decode()
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    assert 'class="demo-banner"' in header


def test_hsts_preload_only_when_asked_for(client, db, settings):
    assert "preload" not in client.get(reverse("core:home"))["Strict-Transport-Security"]
    settings.SECURE_HSTS_PRELOAD = True
    hsts = client.get(reverse("core:home"))["Strict-Transport-Security"]
    assert hsts == f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains; preload"
