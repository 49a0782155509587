import pytest

from masthead.core.tests.clock import wait_for_a_fresh_window


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    # Factories write past the services that purge the page cache, so tests that want the cache
    # turn it on themselves (see masthead/core/tests/pagecache_fixtures.py).
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def one_rate_window():
    """For a test that counts several hits against one rate limit (see core/tests/clock.py)."""
    wait_for_a_fresh_window()
