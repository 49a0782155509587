import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django_application = get_asgi_application()

from masthead.core.httpcache import PageCacheASGI  # noqa: E402 (needs the settings above)

# Page-cache hits are answered here, before Django builds a request.
application = PageCacheASGI(django_application)
