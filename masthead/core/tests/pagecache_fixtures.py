"""The page cache switched on for one test, on keys no other test (or developer) shares."""

import uuid

import pytest
from django.core.cache import caches

from masthead.core import pagecache


@pytest.fixture
def page_cache(settings, tmp_path):
    prefix = f"masthead-test-{uuid.uuid4().hex[:12]}"
    default = settings.CACHES["default"]
    if "redis" in default["BACKEND"].lower():
        settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    else:
        backend = "django.core.cache.backends.locmem.LocMemCache"
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": backend, "LOCATION": prefix}}
    settings.PAGE_CACHE_SECONDS = 600
    settings.EDGE_DIR = ""
    settings.PURGE_WEBHOOK = ""
    yield caches["default"]
    _forget_schedule_watch()
    if "redis" in default["BACKEND"].lower():
        client = caches["default"]._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def edge_dir(page_cache, settings, tmp_path):
    settings.EDGE_DIR = str(tmp_path / "edge")
    return tmp_path / "edge"


def _forget_schedule_watch():
    with pagecache._watch_lock:
        for timer in (pagecache._watch["timer"], pagecache._sweep["timer"]):
            if timer is not None:
                timer.cancel()
        pagecache._watch.update(at=None, timer=None)
        pagecache._sweep["timer"] = None
