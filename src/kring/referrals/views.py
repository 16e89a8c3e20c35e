from django.http import Http404


def new_referral(request):
    raise Http404


def sent(request):
    raise Http404


def privacy(request):
    raise Http404
