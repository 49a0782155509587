import sys

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.static import serve

from masthead.core.outage import DATABASE_UNAVAILABLE, service_unavailable


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A database outage that surfaced outside a view (say, in a middleware) still gets the 503.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable()
    # Rendered without a request context: whatever broke may be what the context needs.
    return render(None, "500.html", status=500)


@never_cache
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@cache_control(public=True, max_age=86400)
def media(request, path):
    """Uploaded files for the embedded site; behind a proxy, the proxy serves /media/ itself."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
