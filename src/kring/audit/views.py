from django.http import Http404


def audit_log(request):
    raise Http404
