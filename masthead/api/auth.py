"""Who is calling: an API token (``Authorization: Bearer mh_…``), a comment's edit token, or
nobody.

The API never reads the session cookie. A browser signed in to the admin is an anonymous caller
here, so no cross-site page can borrow its session to write (django-ninja's operations are
CSRF-exempt, which is safe only because no cookie authenticates them).
"""

import re

from django.conf import settings
from django.core import signing
from ninja.security import APIKeyHeader, HttpBearer

from masthead.api import services
from masthead.api.errors import ApiError
from masthead.api.models import ApiToken

TOKEN_SHAPE = re.compile(r"^mh_[0-9a-f]{8}_[A-Za-z0-9_-]{20,100}$")
EDIT_SALT = "masthead.api.comment-edit"
EDIT_HEADER = "X-Comment-Token"


def request_token(request) -> ApiToken | None:
    """The token the request carries, looked up once; a wrong one is a 401 wherever it is sent."""
    if hasattr(request, "api_token"):
        return request.api_token
    request.api_token = None
    scheme, _, raw = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    raw = raw.strip()
    token = services.token_find(raw) if TOKEN_SHAPE.match(raw) else None
    if token is None:
        raise ApiError(401, "This token is unknown, expired or revoked.", code="bad_token")
    services.token_touch(token)
    request.api_token = token
    return token


def require_scope(token: ApiToken, scope: str) -> None:
    if not token.has_scope(scope):
        raise ApiError(403, f"This token does not have the {scope} scope.", code="scope_missing")
    if not services.scope_allowed(token.user, scope):
        raise ApiError(
            403,
            f"This token's user may no longer use the {scope} scope.",
            code="permission_missing",
        )


class ApiTokenAuth(HttpBearer):
    """A bearer token with one of ``scopes``. Without a token the answer is 401, with one that
    lacks them 403."""

    def __init__(self, *scopes: str):
        self.scopes = scopes
        super().__init__()

    def authenticate(self, request, token: str) -> ApiToken | None:
        found = request_token(request)
        if found is None:
            return None
        held = [scope for scope in self.scopes if found.has_scope(scope)]
        require_scope(found, held[0] if held else " or ".join(self.scopes))
        return found


class CommentEditToken(APIKeyHeader):
    """The edit token a comment's answer carried, in ``X-Comment-Token`` or as
    ``Authorization: Comment <token>``. Gives the ids of the comments it may change."""

    param_name = EDIT_HEADER

    def _get_key(self, request) -> str | None:
        scheme, _, raw = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() == "comment":
            return raw.strip()
        return request.headers.get(EDIT_HEADER)

    def authenticate(self, request, key: str | None) -> list[int] | None:
        if not key:
            return None
        ids = comment_ids_from_token(key)
        if not ids:
            raise ApiError(
                401, "This comment token is not valid or has expired.", code="bad_comment_token"
            )
        return ids


def comment_edit_token(comment_pk: int) -> str:
    """Signed like the form's guest cookie (a list of the comment ids this caller wrote), so the
    same ``authored_ids`` rule in discussion's services decides what it may change."""
    return signing.dumps({"ids": [comment_pk]}, salt=EDIT_SALT)


def comment_ids_from_token(raw: str) -> list[int]:
    # The edit window bounds what a token can do; the signature's age only lets stale ones go.
    max_age = settings.COMMENT_EDIT_MINUTES * 60 + 60
    try:
        found = signing.loads(raw, salt=EDIT_SALT, max_age=max_age)
    except signing.BadSignature:
        return []
    ids = found.get("ids", []) if isinstance(found, dict) else []
    return [pk for pk in ids if isinstance(pk, int)]
