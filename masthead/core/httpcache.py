"""HTTP caching of reader pages: the page cache in the request path, and Cache-Control.

``PageCacheMiddleware`` goes first in MIDDLEWARE, so a hit skips everything else; it stores what
Django renders and sets the caching headers. In production ``PageCacheWSGI`` (masthead/wsgi.py,
what ``masthead serve`` runs) or ``PageCacheASGI`` (masthead/asgi.py) answers hits before Django
even builds a request. See ``masthead.core.pagecache`` for the policy.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from masthead.core import pagecache


def is_public_view(request) -> bool:
    return is_listed(getattr(request, "resolver_match", None))


def is_listed(match) -> bool:
    if match is None:
        return False
    names = settings.PAGE_CACHE_VIEWS
    return match.view_name in names or f"{match.namespace}:*" in names


def may_be_cached(path: str) -> bool:
    """Whether the path reaches a cached view; others never cost a cache round trip."""
    try:
        return is_listed(resolve(path))
    except Resolver404:
        return False


def public_cache_control(response) -> None:
    if response.has_header("Cache-Control"):
        return
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PAGE_CACHE_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )


def private_cache_control(response) -> None:
    if "no-store" in response.get("Cache-Control", ""):
        return
    if response.has_header("Cache-Control"):
        del response.headers["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)


def is_storable(response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


def response_from(entry: pagecache.Entry, request) -> HttpResponse:
    if pagecache.is_not_modified(
        entry,
        request.META.get("HTTP_IF_NONE_MATCH", ""),
        request.META.get("HTTP_IF_MODIFIED_SINCE", ""),
    ):
        response = HttpResponseNotModified()
        for name, value in pagecache.not_modified_headers(entry):
            response.headers[name] = value
        return response
    response = HttpResponse(entry.body, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    response.headers["X-Masthead-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        personal = pagecache.is_personal(request.COOKIES)
        found = None
        if (
            request.method in ("GET", "HEAD")
            and not personal
            and pagecache.is_enabled()
            and may_be_cached(request.path_info)
        ):
            found = pagecache.lookup(
                request.scheme,
                request.get_host(),
                request.path,
                request.META.get("QUERY_STRING", ""),
            )
            if found is not None and found.entry is not None:
                return response_from(found.entry, request)
        response = self.get_response(request)
        if personal:
            private_cache_control(response)
        elif request.method in ("GET", "HEAD") and is_public_view(request):
            self._public(request, response, found)
        return response

    def _public(self, request, response, found) -> None:
        if response.cookies:
            # A cookie set here (a CSRF token in a form, say) makes the page this reader's own.
            private_cache_control(response)
            return
        if response.status_code == 200:
            public_cache_control(response)
        if found is None or request.method != "GET" or not is_storable(response):
            return
        pagecache.store(
            found,
            status=response.status_code,
            headers=list(response.items()),
            body=response.content,
            content_type=response.get("Content-Type", ""),
        )
        response.headers["X-Masthead-Cache"] = "miss"


# The request headers the fast path reads; the rest are left undecoded.
WANTED = {b"host", b"cookie", b"if-none-match", b"if-modified-since", b"x-forwarded-proto"}


class PageCacheASGI:
    """Answers page-cache hits straight from the ASGI scope, before Django builds a request.

    Everything else, misses included, goes to the Django application, whose
    ``PageCacheMiddleware`` stores what it renders.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.application(scope, receive, send)
        entry = await self._entry(scope) if pagecache.is_enabled() else None
        if entry is None:
            return await self.application(scope, receive, send)
        await self._send(scope, entry, send)

    async def _entry(self, scope) -> pagecache.Entry | None:
        headers, proxy_header = {}, pagecache.conf()["proxy_header"]
        for name, value in scope["headers"]:
            if name in WANTED or name == proxy_header:
                headers[name] = value.decode("latin-1")
        host = headers.get(b"host")
        if not host or pagecache.is_personal(parse_cookie(headers.get(b"cookie", ""))):
            return None
        try:
            query = scope["query_string"].decode()
        except UnicodeDecodeError:
            return None
        found = await pagecache.alookup(_scheme(scope, headers), host, scope["path"], query)
        if found is None or found.entry is None:
            return None
        scope["masthead.headers"] = headers
        return found.entry

    async def _send(self, scope, entry, send) -> None:
        headers = scope["masthead.headers"]
        if pagecache.is_not_modified(
            entry, headers.get(b"if-none-match", ""), headers.get(b"if-modified-since", "")
        ):
            status, body = 304, b""
            raw = [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in pagecache.not_modified_headers(entry)
            ]
        else:
            status, raw = entry.status, entry.raw_headers
            body = b"" if scope["method"] == "HEAD" else entry.body
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


class PageCacheWSGI:
    """``PageCacheASGI`` for WSGI servers: hits are answered from the environ, before Django."""

    def __init__(self, application):
        self.application = application

    def __call__(self, meta, start_response):
        entry = None
        if meta["REQUEST_METHOD"] in ("GET", "HEAD") and pagecache.is_enabled():
            entry = self._entry(meta)
        if entry is None:
            return self.application(meta, start_response)
        return self._send(meta, entry, start_response)

    def _entry(self, meta) -> pagecache.Entry | None:
        host = meta.get("HTTP_HOST")
        if not host or pagecache.is_personal(parse_cookie(meta.get("HTTP_COOKIE", ""))):
            return None
        try:  # WSGI hands the path over as latin-1; Django reads it as UTF-8
            path = meta.get("PATH_INFO", "").encode("latin-1").decode()
        except UnicodeError:
            return None
        proxy = pagecache.conf()["proxy"]
        forwarded = meta.get(proxy[0]) if proxy else None
        scheme = _scheme_from(forwarded, meta.get("wsgi.url_scheme", "http"))
        found = pagecache.lookup(scheme, host, path, meta.get("QUERY_STRING", ""))
        return None if found is None else found.entry

    def _send(self, meta, entry, start_response):
        if pagecache.is_not_modified(
            entry, meta.get("HTTP_IF_NONE_MATCH", ""), meta.get("HTTP_IF_MODIFIED_SINCE", "")
        ):
            start_response("304 Not Modified", pagecache.not_modified_headers(entry))
            return [b""]
        headers = [
            *entry.headers,
            ("X-Masthead-Cache", "hit"),
            ("Content-Length", str(len(entry.body))),
        ]
        start_response(f"{entry.status} {HTTPStatus(entry.status).phrase}", headers)
        return [b"" if meta["REQUEST_METHOD"] == "HEAD" else entry.body]


def _scheme(scope, headers) -> str:
    forwarded = headers.get(pagecache.conf()["proxy_header"]) if pagecache.conf()["proxy"] else None
    return _scheme_from(forwarded, scope.get("scheme", "http"))


def _scheme_from(forwarded: str | None, direct: str) -> str:
    """The scheme Django's ``request.scheme`` gives: the trusted proxy's header when it is sent."""
    if forwarded is None:
        return direct
    return "https" if forwarded.split(",")[0].strip() == pagecache.conf()["proxy"][1] else "http"
