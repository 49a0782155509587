"""Fixed-window rate limits that hold across processes and hosts.

``hit(key, limit, window)`` counts one event for ``key`` in the current window of ``window``
seconds and says whether it is within ``limit``; a caller answers 429 with the ``Retry-After``
it returns (``too_many_requests`` does both). Windows are aligned to the clock, so a client
can at most double its limit across one window boundary; that is the price of one counter per
key instead of a log of timestamps.

Counters live where every app process sees them (settings.RATELIMIT_STORE):
- ``"cache"`` (when REDIS_URL is set): ``INCR`` and ``EXPIRE … NX`` for every key of a hit in one
  round trip (``ResilientRedisCache.count_many``; another cache, ``add`` then ``incr``). When
  Redis is down the resilient cache backend counts nothing, and the count falls through to the
  database so the limit still holds.
- ``"database"`` (the embedded default): one row per key and window, bumped by a single
  ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, atomic on SQLite and PostgreSQL alike.

Keys are stored as an HMAC of the caller's key (which may hold an IP or e-mail address), so the
counters reveal nothing about who was counted.
"""

import logging
import math
import time
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from masthead.core.models import RateLimitCounter

logger = logging.getLogger(__name__)


class RateLimit(NamedTuple):
    allowed: bool
    retry_after: int


def client_ip(request) -> str | None:
    """The reader's address. Behind a proxy, `masthead serve` (uvicorn with proxy headers)
    has already put the forwarded address into REMOTE_ADDR for trusted proxies. None for a
    request made up in code (django-axes stores that as no address)."""
    return request.META.get("REMOTE_ADDR") or None


def hit(key: str, limit: int, window: int) -> RateLimit:
    """Count one event for ``key``; allowed while at most ``limit`` fall in ``window`` seconds.

    A ``limit`` of 0 or less switches the limit off.
    """
    return hit_all([key], limit, window)


def hit_all(keys: list[str], limit: int, window: int) -> RateLimit:
    """Count one event for each of ``keys`` (an address and an account, say) under one limit;
    allowed while no key is over it. On the database, one transaction counts them all."""
    if limit <= 0 or not keys:
        return RateLimit(True, 0)
    now = time.time()
    bucket = int(now // window)
    stored_keys = [
        f"rl:{window}:{bucket}:"
        + salted_hmac("masthead.ratelimit", key, algorithm="sha256").hexdigest()
        for key in keys
    ]
    expires = (bucket + 1) * window
    counts = {}
    if settings.RATELIMIT_STORE == "cache":
        counts = _cache_counts(stored_keys, timeout=math.ceil(expires - now) + 1)
    missing = [key for key in stored_keys if counts.get(key) is None]
    if missing:
        counts |= _database_counts(missing, expires_at=datetime.fromtimestamp(expires, UTC))
    if max(counts.values()) <= limit:
        return RateLimit(True, 0)
    return RateLimit(False, max(1, math.ceil(expires - now)))


def _cache_counts(keys: list[str], *, timeout: int) -> dict[str, int | None]:
    """The new counts; a key the cache could not keep counts None. Redis counts them all in
    one round trip (``ResilientRedisCache.count_many``)."""
    if hasattr(cache, "count_many"):
        return cache.count_many(keys, timeout)
    return {key: _cache_count(key, timeout=timeout) for key in keys}


def _cache_count(key: str, *, timeout: int) -> int | None:
    """The new count, or None when the cache could not keep it."""
    for _ in range(2):
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:
            # Expired between add and incr, or the cache is unreachable: try once more.
            continue
    logger.warning("Rate limit counter fell back to the database: the cache did not keep it")
    return None


def _database_counts(keys: list[str], *, expires_at: datetime) -> dict[str, int]:
    table, key_column, count_column, expires_column = map(
        connection.ops.quote_name, [RateLimitCounter._meta.db_table, "key", "count", "expires_at"]
    )
    # One row per key (an upsert may not touch a row twice in one statement), in one order for
    # every caller, so that two hits on the same keys cannot deadlock on PostgreSQL.
    keys = sorted(set(keys))
    with transaction.atomic(), connection.cursor() as cursor:
        # Sweep finished windows on every hit, not now and then, so a request's queries are
        # always the same ones; the expiry index makes an empty sweep cheap.
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires_column} < %s",  # noqa: S608
            [datetime.now(UTC)],
        )
        # Every key in one statement: on SQLite this transaction holds the write lock that the
        # comment being posted waits for next, and each statement held it longer.
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {expires_column}) "  # noqa: S608
            f"VALUES {', '.join(['(%s, 1, %s)'] * len(keys))} ON CONFLICT ({key_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {key_column}, {count_column}",
            [value for key in keys for value in (key, expires_at)],
        )
        return dict(cursor.fetchall())


def too_many_requests(request, retry_after: int):
    """The styled 429 page, with the ``Retry-After`` a client should honour."""
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
