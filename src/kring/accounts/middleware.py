# Placeholder: replaced by the accounts work (session time-outs, second factor).


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class SecondFactorMiddleware(SessionTimeoutMiddleware):
    pass
