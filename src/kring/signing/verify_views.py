"""The public verification page (R14, issue 11 point 5): `controleren/`. No sign-in, no case
data: upload a PDF or type its code, and read whether it is an intact Kring plan with a valid
seal, when it was sealed and how many people signed it (signing.verify). Rate-limited per
address; never cached; each check is in the access log with the document's id only."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from kring.audit.log import record
from kring.core import ratelimit
from kring.signing import verify

TEMPLATE = "signing/verify.html"
MAX_BYTES = 10 * 1024 * 1024  # a plan of a few pages is far below; a scan of one would not be
# A request body may be this much larger than the file: the form's fields and multipart framing.
MAX_BODY = MAX_BYTES + 64 * 1024
TOO_BIG = _("This file is larger than 10 MB. Choose the PDF of the plan.")
CHECKS_PER_HOUR = 30
WINDOW_SECONDS = 3600
VERIFIED = "signing.verified"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("The PDF of the plan"),
        help_text=_("A PDF file of at most 10 MB."),
        error_messages={"required": _("Choose the PDF file of the plan.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG, code="too_big")
        data = upload.read(MAX_BYTES + 1)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(
                _("This file is not a PDF. Choose the PDF of the plan."), code="not_pdf"
            )
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code to check the plan"),
        help_text=_("12 letters and digits, on the last page of the plan, such as 7KQ4-M2XD-9HBR."),
        max_length=40,
        error_messages={"required": _("Type the verification code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


def _page(request, *, status: int = 200, **context) -> HttpResponse:
    context.setdefault("upload_form", UploadForm(prefix="upload"))
    context.setdefault("code_form", CodeForm(prefix="code"))
    response = render(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    return response


def _allowed(request: HttpRequest) -> bool:
    return ratelimit.hit(
        ratelimit.address_key("signing-verify", request),
        limit=CHECKS_PER_HOUR,
        window_seconds=WINDOW_SECONDS,
    )


def _answered(request, answer: verify.Answer, how: str) -> HttpResponse:
    record(
        VERIFIED,
        obj=answer.document,
        data={"found": answer.ok, "how": how, "problem": answer.problem},
    )
    return _page(request, answer=answer, how=how)


def _too_big(request: HttpRequest) -> bool:
    """Is the request's body announced larger than a file we accept plus its form? Read from the
    header only: the body is not read (Django would spool a large upload to disk)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@csrf_exempt  # checked in _check, after the size: the CSRF middleware would read the whole body
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Controleren: anyone may check a copy of a signed plan."""
    if request.method != "POST":
        return _page(request)
    if not _allowed(request):
        response = _page(request, status=429, throttled=True)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    if _too_big(request):
        upload_form = UploadForm(data={}, files={}, prefix="upload")
        upload_form.errors["file"] = upload_form.error_class([TOO_BIG])
        return _page(request, status=413, upload_form=upload_form, bad_form=upload_form)
    return _check(request)


@csrf_protect
def _check(request: HttpRequest) -> HttpResponse:
    if request.POST.get("how") == "code":
        code_form = CodeForm(request.POST, prefix="code")
        if not code_form.is_valid():
            return _page(request, code_form=code_form, bad_form=code_form)
        answer = verify.by_code(code_form.cleaned_data["code"])
        if answer is None:
            code_form.add_error(
                "code",
                _("This is not a verification code. Check the 12 letters and digits."),
            )
            return _page(request, code_form=code_form, bad_form=code_form)
        return _answered(request, answer, "code")
    upload_form = UploadForm(request.POST, request.FILES, prefix="upload")
    if not upload_form.is_valid():
        return _page(request, upload_form=upload_form, bad_form=upload_form)
    return _answered(request, verify.by_upload(upload_form.cleaned_data["file"]), "upload")
