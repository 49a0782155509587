"""The Redis cache degrades to a miss when Redis is stopped or hung, and pages still serve."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache, caches
from redis.connection import Connection
from redis.exceptions import ResponseError

from masthead.core.cache_backends import ResilientRedisCache
from masthead.core.tests.ports import free_port


def _cache_settings(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "masthead.core.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "masthead-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = _cache_settings(f"redis://127.0.0.1:{free_port()}/0")
    return caches["default"]


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own on a random port; stopped and removed afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)


def test_counters_are_bumped_together_with_a_lifetime(redis_server, settings):
    settings.CACHES = _cache_settings(redis_server[1])
    counters = caches["default"]
    assert counters.count_many(["a", "b"], 60) == {"a": 1, "b": 1}
    assert counters.count_many(["a", "b"], 60) == {"a": 2, "b": 2}
    assert counters.get("a") == 2  # the same integers incr and get read
    assert counters.incr("b") == 3
    client = counters._cache.get_client()
    assert 0 < client.ttl(counters.make_key("a")) <= 60
    counters.count_many(["a"], 3600)  # a counter keeps the lifetime it started with
    assert client.ttl(counters.make_key("a")) <= 60


def test_one_client_serves_every_call(redis_server, settings):
    settings.CACHES = _cache_settings(redis_server[1])
    reused = caches["default"]
    reused.set("a", 1)
    client = reused._cache.get_client(write=True)
    assert reused._cache.get_client("b") is client
    reused.set("b", 2)
    assert reused.get_many(["a", "b"]) == {"a": 1, "b": 2}


def test_counters_are_bumped_one_by_one_where_redis_refuses_scripts(
    redis_server, settings, monkeypatch
):
    settings.CACHES = _cache_settings(redis_server[1])
    counters = caches["default"]
    assert counters.count_many(["a"], 60) == {"a": 1}
    script = type(counters._counting_script(counters._cache.get_client(write=True)))

    def refused(self, *args, **kwargs):
        raise ResponseError("NOPERM this user has no permissions to run the 'evalsha' command")

    monkeypatch.setattr(script, "__call__", refused)
    assert counters.count_many(["a", "b"], 60) == {"a": 2, "b": 1}
    assert 0 < counters._cache.get_client().ttl(counters.make_key("b")) <= 60


def test_counters_are_counted_in_one_round_trip(redis_server, settings, monkeypatch):
    settings.CACHES = _cache_settings(redis_server[1])
    counters = caches["default"]
    counters.count_many(["a"], 60)  # the script is loaded the first time
    sent = []
    send = Connection.send_packed_command

    def counted(self, command, *args, **kwargs):
        sent.append(command)
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counted)
    assert counters.count_many(["a", "b", "c"], 60) == {"a": 2, "b": 1, "c": 1}
    assert len(sent) == 1


def test_an_unreachable_redis_counts_nothing(unreachable_cache):
    assert unreachable_cache.count_many(["a", "b"], 60) == {}


def test_an_unreachable_redis_reads_as_a_miss_and_drops_writes(unreachable_cache):
    assert isinstance(unreachable_cache, ResilientRedisCache)
    assert unreachable_cache.get("k", "fallback") == "fallback"
    assert unreachable_cache.set("k", 1) is None
    assert unreachable_cache.add("k", 1) is False
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.set_many({"a": 1}) == ["a"]
    assert unreachable_cache.has_key("k") is False
    assert unreachable_cache.delete("k") is False
    assert unreachable_cache.get_or_set("k", lambda: "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        unreachable_cache.incr("k")


def test_after_a_failure_redis_is_left_alone_for_a_while(unreachable_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="masthead.core.cache_backends"):
        unreachable_cache.get("k")
    assert "Redis cache unreachable" in caplog.text
    assert unreachable_cache.is_resting()
    # While resting, no call reaches the client at all.
    unreachable_cache._cache = None
    assert unreachable_cache.get("k", 7) == 7


@pytest.mark.django_db
def test_pages_serve_with_redis_unreachable(unreachable_cache, client):
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "harbour"}).status_code == 200


def test_a_hung_redis_costs_a_timeout_then_a_miss_and_recovers(redis_server, settings):
    process, url = redis_server
    settings.CACHES = _cache_settings(url)
    live = caches["default"]
    live.set("greeting", "hello")
    assert live.get("greeting") == "hello"

    os.kill(process.pid, signal.SIGSTOP)
    assert live.get("greeting", "missed") == "missed"
    assert live.is_resting()

    os.kill(process.pid, signal.SIGCONT)
    live._resting_until = 0.0
    live.set("greeting", "again")
    assert live.get("greeting") == "again"
    assert live.add("counter", 0)
    assert live.incr("counter") == 1
    # No answer meant for a timed-out call is read by a later one.
    assert [live.get("greeting") for _ in range(5)] == ["again"] * 5


@pytest.mark.django_db
def test_pages_serve_while_redis_is_hung(redis_server, settings, client):
    process, url = redis_server
    settings.CACHES = _cache_settings(url)
    assert client.get("/").status_code == 200
    os.kill(process.pid, signal.SIGSTOP)
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "harbour"}).status_code == 200
    assert cache.get("anything", "missed") == "missed"


def _post_a_comment(settings):
    """A guest's comment through the site's own moderation pipeline, rate limit on Redis."""
    from masthead.discussion import services
    from masthead.discussion.pipeline import SubmissionContext
    from masthead.publishing.tests.factories import PostFactory

    settings.RATELIMIT_STORE = "cache"
    post = PostFactory(published=True)
    context = SubmissionContext(
        post=post, ip_address="198.51.100.20", user_agent="test", form_age_seconds=30.0
    )
    return services.comment_submit(
        post=post,
        body="The harbour vote deserved a daylight session.",
        context=context,
        name="Wren",
        email="wren@example.org",
    )


@pytest.mark.django_db
def test_comments_still_post_with_redis_unreachable(unreachable_cache, settings):
    from masthead.discussion.models import Comment

    comment = _post_a_comment(settings)
    assert Comment.objects.filter(pk=comment.pk, body__startswith="The harbour vote").exists()


@pytest.mark.django_db
def test_comments_still_post_while_redis_is_hung(redis_server, settings):
    from masthead.discussion.models import Comment

    process, url = redis_server
    settings.CACHES = _cache_settings(url)
    os.kill(process.pid, signal.SIGSTOP)
    comment = _post_a_comment(settings)
    assert Comment.objects.filter(pk=comment.pk).exists()
