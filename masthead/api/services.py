"""Making, finding and revoking API tokens."""

import datetime
import hmac
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from masthead.api.exceptions import ApiTokenScopeError
from masthead.api.models import ApiScope, ApiToken, secret_digest

TOKEN_PREFIX = "mh_"  # noqa: S105 (the marker every token starts with, not a secret)
# A scope is only as strong as the user behind it: each asks the user for this permission, both
# when the token is made and on every request (so taking the permission away disarms the token).
# Every scope but comment is for staff, like the admin and the moderators' pages.
SCOPE_PERMISSIONS = {
    ApiScope.READ: "publishing.view_post",
    ApiScope.COMMENT: None,
    ApiScope.MODERATE: "moderation.moderate_comments",
    ApiScope.PUBLISH: "publishing.change_post",
}
# last_used_at is a hint, not an audit log: one write a minute at most per token.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def scope_allowed(user, scope: str) -> bool:
    if not user.is_active or scope not in SCOPE_PERMISSIONS:
        return False
    permission = SCOPE_PERMISSIONS[scope]
    return permission is None or (user.is_staff and user.has_perm(permission))


def token_create(
    *,
    user,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Store a new token and return it with its only plain-text copy, to be shown once."""
    scopes = sorted(set(scopes))
    if not scopes:
        raise ApiTokenScopeError("A token needs at least one scope.")
    for scope in scopes:
        if scope not in ApiScope.values:
            raise ApiTokenScopeError(
                f"No scope {scope!r}; the scopes are {', '.join(ApiScope.values)}."
            )
        if not scope_allowed(user, scope):
            raise ApiTokenScopeError(
                f"{user.get_username()} may not hold the {scope} scope: it needs an active "
                f"staff account with the {SCOPE_PERMISSIONS[scope]} permission."
            )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=prefix,
        secret_hash=secret_digest(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def token_find(raw: str) -> ApiToken | None:
    """The usable token ``raw`` names, or None for a wrong, expired or revoked one."""
    prefix, _, secret = raw.removeprefix(TOKEN_PREFIX).partition("_")
    if not raw.startswith(TOKEN_PREFIX) or not prefix or not secret:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, secret_digest(secret)):
        return None
    return token


def token_touch(token: ApiToken, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def token_revoke(*, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
