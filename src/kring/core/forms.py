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
