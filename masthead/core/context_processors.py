from django.conf import settings

from masthead.core.links import site_links


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "site_url": settings.SITE_URL,
        "site_links": site_links(),
    }
