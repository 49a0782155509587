"""A calm answer when the database is away: a styled 503 with Retry-After, never a traceback."""

import logging
from time import monotonic

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def service_unavailable() -> HttpResponse:
    """The styled 503, rendered from settings alone: no request context, no query."""
    html = render_to_string(
        "503.html",
        {"site_name": settings.SITE_NAME, "retry_after": settings.UNAVAILABLE_RETRY_AFTER},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_AFTER)
    # Never let a proxy or the page cache keep the outage.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, readers get the 503 page instead of an error.

    Once a connection has failed (not merely a query), views in this process answer the 503 at
    once for ``PAUSE`` seconds instead of each waiting out a connect or pool timeout; static
    files and cached pages are served before views and are not affected. Django drops a broken
    connection at the start of the next request, so the site recovers by itself once the
    database is back. Outages that surface outside a view (in another middleware) reach
    ``core.views.server_error``, which answers the same way.
    """

    PAUSE = 5.0

    def __init__(self, get_response):
        self.get_response = get_response
        self.paused_until = 0.0

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if monotonic() < self.paused_until:
            return service_unavailable()
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("Database unavailable, answering 503 for %s: %s", request.path, exception)
        if not _connection_alive():
            self.paused_until = monotonic() + self.PAUSE
        return service_unavailable()


def _connection_alive() -> bool:
    """False when the default connection could not be made or has broken, as opposed to one
    query failing on a healthy connection (SQLite's "database is locked", say)."""
    return connection.connection is not None and connection.is_usable()
