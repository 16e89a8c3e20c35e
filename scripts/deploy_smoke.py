"""The browser of scripts/deploy-smoke.sh: standard library only, so that it needs nothing the
deployment does not have.

    python3 scripts/deploy_smoke.py free-port
    python3 scripts/deploy_smoke.py wait-http URL SECONDS
    python3 scripts/deploy_smoke.py request BASE_URL EMAIL
    python3 scripts/deploy_smoke.py wait-mail MAILDIR EMAIL SECONDS
    python3 scripts/deploy_smoke.py signin BASE_URL USERNAME        (password in KRING_ADMIN_PASSWORD)
    python3 scripts/deploy_smoke.py totp BASE32_SECRET

Every request goes to 127.0.0.1 as the reverse proxy of docs/deployment.md would send it: with
`X-Forwarded-Proto: https` and `X-Real-IP`. Cookies are kept by hand, since the session and
CSRF cookies are `Secure` and this talks plain HTTP to gunicorn, like the proxy does.
"""

import base64
import hashlib
import hmac
import http.client
import os
import re
import socket
import struct
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


def totp(secret: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 with HMAC-SHA1, as authenticator apps (and django-otp's TOTPDevice) do."""
    plain = secret.replace(" ", "").upper()
    key = base64.b32decode(plain + "=" * (-len(plain) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


class Fields(HTMLParser):
    """The named fields of the page's forms: inputs, textareas and selects, plus text of a tag
    with class="reference" (where the setup page shows the TOTP secret)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []
        self.references: list[str] = []
        self._in_reference = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in {"input", "textarea", "select"} and attributes.get("name"):
            self.inputs.append({"tag": tag, **attributes})
        if "reference" in attributes.get("class", "").split():
            self._in_reference = True
            self.references.append("")

    def handle_endtag(self, tag):
        self._in_reference = False

    def handle_data(self, data):
        if self._in_reference:
            self.references[-1] += data


class Browser:
    def __init__(self, base_url: str, address: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        host = f"{self.host}:{self.port}"
        headers = {
            "Host": host,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": self.address,
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{host}"
            headers["Referer"] = f"https://{host}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        location = response.getheader("Location") or ""
        if location.startswith("https://"):
            location = "/" + location.split("/", 3)[3]
        return response.status, location, text

    def get(self, path: str):
        status, location, text = self.request("GET", path)
        if status != 200:
            fail(f"GET {path}: {status} {location}")
        fields = Fields()
        fields.feed(text)
        return fields, text

    def post(self, path: str, form: dict[str, str]):
        return self.request("POST", path, form)


def fail(message: str) -> None:
    print(f"deploy_smoke: {message}", file=sys.stderr)
    sys.exit(1)


def hidden(fields: Fields) -> dict[str, str]:
    return {f["name"]: f.get("value", "") for f in fields.inputs if f.get("type") == "hidden"}


def submit_request(base_url: str, email: str) -> None:
    """The public request form, filled in as a visitor would; the answer is the sent page."""
    browser = Browser(base_url, address=f"10.0.{os.getpid() % 250}.{int(time.time()) % 250 + 1}")
    fields, _ = browser.get("/aanvragen/")
    form = hidden(fields)
    radios: dict[str, str] = {}
    for field in fields.inputs:
        if field.get("type") == "radio":
            radios.setdefault(field["name"], field.get("value", ""))
    form.update(radios)
    form.update(
        {
            "description": "Smoke test of the deployment guide: a window was broken.",
            "requester_name": "Smoke Test",
            "requester_email": email,
            "privacy_consent": "on",
        }
    )
    status, location, text = browser.post("/aanvragen/", form)
    if status != 302 or not location.startswith("/aanvragen/verzonden/"):
        errors = re.findall(r'class="field-error"[^>]*>([^<]+)', text)
        fail(f"POST /aanvragen/: {status} {location} {errors}")
    print(f"request submitted through {base_url} for {email}")


def sign_in(base_url: str, username: str) -> None:
    """Password, then the second factor set up through the pages, then /beheer/."""
    password = os.environ["KRING_ADMIN_PASSWORD"]
    browser = Browser(base_url, address="10.1.0.1")
    fields, _ = browser.get("/account/inloggen/")
    status, location, _ = browser.post(
        "/account/inloggen/",
        {**hidden(fields), "username": username, "password": password},
    )
    if status != 302 or not location.startswith("/account/inloggen/instellen/"):
        fail(f"sign-in: expected the second factor's setup, got {status} {location}")
    fields, _ = browser.get(location)
    if not fields.references:
        fail("the setup page shows no secret")
    secret = fields.references[0].strip()
    status, location, text = browser.post(location, {**hidden(fields), "code": totp(secret)})
    if status != 302:
        fail(f"TOTP setup: {status} {re.findall(r'field-error[^>]*>([^<]+)', text)}")
    browser.get(location)  # the recovery codes, shown once
    status, location, text = browser.request("GET", "/beheer/")
    if status != 200 or 'action="/beheer/logout/"' not in text:
        fail(f"/beheer/: {status} {location}")
    print(f"{username} signed in with TOTP and reached /beheer/")


def wait_mail(maildir: str, email: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    needle = email.encode()
    while time.monotonic() < deadline:
        for sub in ("new", "cur"):
            folder = os.path.join(maildir, sub)
            for name in os.listdir(folder) if os.path.isdir(folder) else []:
                with open(os.path.join(folder, name), "rb") as mail:
                    if needle in mail.read():
                        print(f"mail to {email} arrived")
                        return
        time.sleep(0.2)
    fail(f"no mail to {email} within {seconds:.0f} s")


def wait_http(url: str, seconds: float) -> None:
    browser = Browser(url, address="127.0.0.1")
    path = urlsplit(url).path or "/"
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            status, location, text = browser.request("GET", path)
            if status == 200:
                return
            last = f"{status} {location}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    fail(f"{url} did not answer 200 within {seconds:.0f} s: {last}")


def free_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def main(argv: list[str]) -> None:
    commands = {
        "free-port": lambda: free_port(),
        "wait-http": lambda: wait_http(argv[1], float(argv[2])),
        "request": lambda: submit_request(argv[1], argv[2]),
        "wait-mail": lambda: wait_mail(argv[1], argv[2], float(argv[3])),
        "signin": lambda: sign_in(argv[1], argv[2]),
        "totp": lambda: print(totp(argv[1])),
    }
    if not argv or argv[0] not in commands:
        fail(f"usage: deploy_smoke.py {{{','.join(commands)}}} ...")
    commands[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
