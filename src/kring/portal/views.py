from django.http import Http404


def _stub(request, *args, **kwargs):
    raise Http404


enter = home = respond = consent = nominate = withdraw = leave = _stub
