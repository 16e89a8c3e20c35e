from django.http import Http404


def _stub(request, pk=None):
    raise Http404


inbox = request_detail = team_cases = my_cases = case_detail = _stub
take_on = decline = assign = offer = stop = _stub
