from django.http import Http404


def _stub(request, *args, **kwargs):
    raise Http404


start = overview = add = edit = conversation = acknowledgment = invite = reissue = _stub
respond = consent = nominate = withdraw = nomination = risk_add = risk_resolve = _stub
