from django.forms.renderers import TemplatesSetting


class KringFormRenderer(TemplatesSetting):
    """Every form renders its fields the same accessible way: label, hint, error at the field
    (linked with aria-describedby), and the summary above the form (core/_error_summary.html)."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"


def posted(request):
    """The submitted data, or None on GET: bind a form with it, so that an empty POST is still
    validated (`request.POST or None` would treat it as no submission)."""
    return request.POST if request.method == "POST" else None


# A label that ends like a sentence or a question ("Do you want legal advice?") is followed by
# the message as it stands; any other label gets a colon. Never ".:" or "?:" (issue 8, point 6).
_SENTENCE_END = (".", "?", "!", ":", "\u2026")


def summary_line(label, error) -> str:
    """The line "Name: Write the name ..." or "Do you want legal advice? Choose whether ...":
    the label and the message joined without doubled punctuation. No label: the message."""
    label = " ".join(str(label or "").split())
    error = " ".join(str(error or "").split())
    if not label:
        return error
    if not error:
        return label
    if label.endswith(":"):
        label = label[:-1].rstrip()
        if not label:
            return error
    if label.endswith(_SENTENCE_END):
        return f"{label} {error}"
    return f"{label}: {error}"
