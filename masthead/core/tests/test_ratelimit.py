import os
import subprocess
import sys
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from masthead.core import ratelimit
from masthead.core.models import RateLimitCounter
from masthead.core.tests.clock import wait_for_a_fresh_window

CLOSED_PORT_REDIS = "redis://127.0.0.1:9/0"


@pytest.fixture(params=["database", "cache"])
def store(request, settings):
    settings.RATELIMIT_STORE = request.param
    cache.clear()
    return request.param


@pytest.mark.django_db
def test_allows_up_to_the_limit_then_says_how_long_to_wait(store):
    with time_machine.travel("2026-03-14 09:00:10Z", tick=False):
        results = [ratelimit.hit("t:limit", limit=3, window=60) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[0].retry_after == 0
    assert results[3].retry_after == 50


@pytest.mark.django_db
def test_a_new_window_starts_a_new_count(store):
    with time_machine.travel("2026-03-14 09:00:10Z", tick=False) as clock:
        assert ratelimit.hit("t:window", limit=1, window=60).allowed
        assert not ratelimit.hit("t:window", limit=1, window=60).allowed
        clock.shift(60)
        assert ratelimit.hit("t:window", limit=1, window=60).allowed


@pytest.mark.usefixtures("one_rate_window")
@pytest.mark.django_db
def test_keys_are_counted_apart(store):
    assert ratelimit.hit("t:a", limit=1, window=60).allowed
    assert ratelimit.hit("t:b", limit=1, window=60).allowed
    assert not ratelimit.hit("t:a", limit=1, window=60).allowed


@pytest.mark.django_db
def test_several_keys_are_counted_at_once_and_the_fullest_decides(store):
    with time_machine.travel("2026-03-14 09:00:10Z", tick=False):
        assert ratelimit.hit("t:address", limit=2, window=60).allowed
        assert ratelimit.hit_all(["t:address", "t:account"], limit=2, window=60).allowed
        assert not ratelimit.hit_all(["t:address", "t:account"], limit=2, window=60).allowed
        # Both were counted each time: the account has had two and is now at its limit.
        assert not ratelimit.hit("t:account", limit=2, window=60).allowed


@pytest.mark.django_db
def test_several_keys_take_one_transaction_in_the_database(settings, django_assert_num_queries):
    settings.RATELIMIT_STORE = "database"
    with django_assert_num_queries(4) as counted:
        ratelimit.hit_all(["t:one", "t:two"], limit=5, window=60)
    verbs = [q["sql"].split()[0] for q in counted.captured_queries]
    # In a test the transaction is a savepoint inside the test's own; one INSERT counts both.
    assert verbs == ["SAVEPOINT", "DELETE", "INSERT", "RELEASE"]


@pytest.mark.usefixtures("one_rate_window")
@pytest.mark.django_db
def test_a_key_given_twice_is_counted_once(settings):
    settings.RATELIMIT_STORE = "database"
    assert ratelimit.hit_all(["t:twice", "t:twice"], limit=1, window=60).allowed
    assert not ratelimit.hit("t:twice", limit=1, window=60).allowed


@pytest.mark.django_db
def test_a_limit_of_zero_is_off(store):
    assert all(ratelimit.hit("t:off", limit=0, window=60).allowed for _ in range(5))


@pytest.mark.django_db
def test_the_database_keeps_no_address_in_clear(settings):
    settings.RATELIMIT_STORE = "database"
    RateLimitCounter.objects.all().delete()
    ratelimit.hit("search:ip:203.0.113.9", limit=5, window=60)
    (row,) = RateLimitCounter.objects.all()
    assert "203.0.113.9" not in row.key
    assert row.count == 1


@pytest.mark.django_db
def test_finished_windows_are_swept_from_the_database(settings):
    settings.RATELIMIT_STORE = "database"
    RateLimitCounter.objects.all().delete()
    with time_machine.travel("2026-03-14 09:00:10Z", tick=False) as clock:
        ratelimit.hit("t:old", limit=5, window=60)
        clock.shift(120)
        ratelimit.hit("t:new", limit=5, window=60)
    assert RateLimitCounter.objects.count() == 1


@pytest.mark.usefixtures("one_rate_window")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_separate_connections_count_exactly(store):
    """Each thread has its own database connection and cache client, like separate processes."""
    if store == "database" and connection.vendor == "sqlite":
        pytest.skip("the test database is in memory; see the test with processes below")
    key = f"t:race:{store}"
    results = []

    def worker():
        try:
            results.append(ratelimit.hit(key, limit=10, window=3600).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True] * 10


@pytest.mark.usefixtures("one_rate_window")
@pytest.mark.django_db
def test_an_unreachable_cache_falls_back_to_the_database(settings):
    settings.RATELIMIT_STORE = "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache_backends.ResilientRedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    RateLimitCounter.objects.all().delete()
    results = [ratelimit.hit("t:fallback", limit=2, window=60).allowed for _ in range(3)]
    assert results == [True, True, False]
    assert RateLimitCounter.objects.count() == 1


@pytest.mark.django_db
def test_too_many_requests_is_a_styled_429_with_retry_after():
    request = RequestFactory().get("/search/?q=x")
    response = ratelimit.too_many_requests(request, 42)
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Slow down, please" in html
    assert "42 seconds" in html
    assert "masthead/site.css" in html


def test_client_ip_is_the_remote_address():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    assert ratelimit.client_ip(request) == "198.51.100.7"


HITS = """
import django
django.setup()
from masthead.core import ratelimit
print(sum(ratelimit.hit("t:processes", limit=10, window=3600).allowed for _ in range(6)))
"""


def test_processes_sharing_an_embedded_database_count_exactly(tmp_path):
    """The embedded setup (SQLite file, no Redis) behind `masthead serve --workers N`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"MASTHEAD_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "masthead.settings"}
    migrate = [sys.executable, "-m", "masthead.cli", "migrate", "--verbosity", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=120)
    wait_for_a_fresh_window(3600, margin=30)
    workers = [
        subprocess.Popen([sys.executable, "-c", HITS], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    allowed = [int(worker.communicate(timeout=120)[0]) for worker in workers]
    assert sum(allowed) == 10, allowed
