"""Addresses reversed once per process.

An address for the same name and arguments does not change while the process runs, and a post
page asks for about twenty of them (its own, its author's, its terms', the site's feeds):
reversing them took a fifth of the page's time (see docs/benchmarks.md).
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname: str, **kwargs) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, tuple(sorted(kwargs.items())), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=8192)
def _reverse(viewname: str, kwargs: tuple, prefix: str, urlconf: str) -> str:
    # `prefix` only keys the entry: reverse() reads the same script prefix itself.
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)


def site_links() -> dict[str, str]:
    """The addresses every page's header and footer link to."""
    return {
        "front": cached_reverse("publishing:front"),
        "search": cached_reverse("publishing:search"),
        "atom": cached_reverse("feeds:site-atom"),
        "rss": cached_reverse("feeds:site-rss"),
    }
