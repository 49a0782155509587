"""Old WordPress addresses answer 301 with the new ones, so links and search results live on.

``/?p=123`` and ``/?page_id=2`` find the post imported as WordPress item 123 or 2; ``/slug/``
finds the post with that slug. ``/YYYY/MM/DD/slug/`` is already Masthead's own pattern.
"""

import re

from django.http import HttpResponsePermanentRedirect

from masthead.publishing.models import Post

SLUG_ONLY = re.compile(r"^/(?P<slug>[-\w]+)/?$")
ID_PARAMETERS = {"p": "post", "page_id": "page"}


def legacy_post(request) -> Post | None:
    if request.path == "/":
        for parameter, kind in ID_PARAMETERS.items():
            value = request.GET.get(parameter, "")
            if value.isdigit():
                return (
                    Post.objects.published()
                    .filter(import_ref__startswith="wxr:", import_ref__endswith=f":{kind}:{value}")
                    .first()
                )
        return None
    match = SLUG_ONLY.match(request.path)
    return Post.objects.published().filter(slug=match["slug"]).first() if match else None


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path == "/" and request.GET:
            post = legacy_post(request)
            if post is not None:
                return HttpResponsePermanentRedirect(post.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            post = legacy_post(request)
            if post is not None:
                return HttpResponsePermanentRedirect(post.get_absolute_url())
        return response
