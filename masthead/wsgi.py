import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django_application = get_wsgi_application()

from masthead.core.httpcache import PageCacheWSGI  # noqa: E402 (needs the settings above)

# Page-cache hits are answered here, before Django builds a request.
application = PageCacheWSGI(django_application)
