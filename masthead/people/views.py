"""Account pages: the sign-in lockout page and password reset.

Nothing here says whether an account exists. A reset request for an unknown address answers
exactly like one for a known address (Django's form sends mail only to active accounts with a
usable password, and both go to the same "check your inbox" page); the lockout page is the same
for every user name, real or not, because django-axes counts failures per typed name.
Requests for reset mail are rate limited per address and per e-mail (see docs/security.md).
"""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from masthead.core import ratelimit

RESET_WINDOW = 3600


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): 429 with the cool-off to wait."""
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"cooloff_minutes": max(1, retry_after // 60)}
    response = render(request, "people/locked_out.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class PasswordReset(auth_views.PasswordResetView):
    template_name = "people/password_reset_form.html"
    email_template_name = "people/password_reset_email.txt"
    subject_template_name = "people/password_reset_subject.txt"
    success_url = reverse_lazy("people:password-reset-done")

    @property
    def extra_email_context(self):
        # The link is built from the configured site URL, never from the request's Host header.
        return {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}

    def post(self, request, *args, **kwargs):
        limit = ratelimit.hit(
            f"password-reset:ip:{ratelimit.client_ip(request)}",
            settings.PASSWORD_RESET_RATE_LIMIT,
            RESET_WINDOW,
        )
        if not limit.allowed:
            return ratelimit.too_many_requests(request, limit.retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        limit = ratelimit.hit(
            f"password-reset:email:{email}", settings.PASSWORD_RESET_RATE_LIMIT, RESET_WINDOW
        )
        if not limit.allowed:
            return ratelimit.too_many_requests(self.request, limit.retry_after)
        return super().form_valid(form)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's mail may sign in again, even while locked out.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"
