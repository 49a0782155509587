from axes.backends import AxesStandaloneBackend


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request.

    Code that authenticates without one (the test client's ``login()``, a script) is not a
    sign-in form anyone can hammer, so it goes straight to the next backend instead of failing.
    Anything reachable over HTTP must pass its request to ``authenticate()``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
