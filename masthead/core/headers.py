"""Security response headers that Django does not set itself.

Django already sends Content-Security-Policy (SECURE_CSP), Strict-Transport-Security,
Referrer-Policy, X-Content-Type-Options, X-Frame-Options and Cross-Origin-Opener-Policy;
Permissions-Policy is the one left, so this middleware adds it.
"""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` from settings.PERMISSIONS_POLICY (feature -> allowlist)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
