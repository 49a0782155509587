"""Search is rate limited per address: 429 with Retry-After, other addresses unaffected."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_window")]


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def test_searches_past_the_limit_get_429_with_retry_after(settings):
    settings.SEARCH_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.30")
    statuses = [client.get("/search/", {"q": f"harbour {n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/search/", {"q": "harbour"})
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "Slow down, please" in limited.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.31").get("/search/", {"q": "harbour"}).status_code == 200


def test_the_empty_search_page_is_not_counted(settings):
    settings.SEARCH_RATE_LIMIT = 1
    client = Client(REMOTE_ADDR="203.0.113.32")
    assert [client.get("/search/").status_code for _ in range(3)] == [200, 200, 200]


def test_a_limit_of_zero_switches_it_off(settings):
    settings.SEARCH_RATE_LIMIT = 0
    client = Client(REMOTE_ADDR="203.0.113.33")
    assert {client.get("/search/", {"q": "x"}).status_code for _ in range(5)} == {200}
