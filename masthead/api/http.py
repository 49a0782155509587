"""What every API address does around its operation: body size, the caller's rate limit,
error-shaped 405s, and ETags with 304s on every GET.

Caching: the page cache never stores an API answer (only the views in PAGE_CACHE_VIEWS are
stored, and no API view is there), so nothing here can be served stale after a change. A GET
without a token is ``public, no-cache``: a CDN or browser may keep it but must ask again, and
the ETag makes asking cheap (a 304 without a body). A GET with a token is ``private, no-cache``,
so no shared cache keeps what a token saw. Both vary on Authorization.
"""

import functools
import hashlib

from django.conf import settings
from django.http import Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from masthead.api.auth import request_token
from masthead.api.errors import ApiError, api_error_response, error_response
from masthead.core import ratelimit

WINDOW = 60


def api_view(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            _check_size(request)
            token = request_token(request)
            _check_rate(request, token)
        except ApiError as error:
            return api_error_response(error)
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # raised outside an operation: django-ninja's own root address
            response = error_response(404, "No API operation at this address.")
        if response.status_code == 405 and not _is_json(response):
            allowed = response.get("Allow", "")
            response = error_response(405, headers={"Allow": allowed} if allowed else None)
        if request.method == "GET" and response.status_code == 200 and not response.streaming:
            return _conditional(request, response, token is not None)
        return response

    return wrapped


def _check_size(request) -> None:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        raise ApiError(400, "Content-Length is not a number.") from None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise ApiError(413, f"The request body is larger than {limit:,} bytes.")


def _check_rate(request, token) -> None:
    if token is not None:
        key, limit = f"api:token:{token.pk}", settings.API_TOKEN_RATE_LIMIT
    else:
        key, limit = f"api:ip:{ratelimit.client_ip(request)}", settings.API_RATE_LIMIT
    found = ratelimit.hit(key, limit, WINDOW)
    if not found.allowed:
        raise ApiError(429, headers={"Retry-After": str(found.retry_after)})


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _conditional(request, response, is_private: bool):
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    if not response.has_header("Cache-Control"):
        patch_cache_control(
            response, no_cache=True, **{"private" if is_private else "public": True}
        )
    patch_vary_headers(response, ["Authorization"])
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in wanted or "*" in wanted or f"W/{etag}" in wanted:
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary"):
            not_modified[name] = response[name]
        return not_modified
    return response
