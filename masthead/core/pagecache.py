"""The full-page cache for anonymous readers, edge publishing and the purge hook.

Policy (docs/deploy.md says the same for operators):

- Only GET and HEAD requests that carry none of the personal cookies (the session, the messages
  cookie and ``masthead_fresh``, which discussion sets for a reader with a comment of their own
  awaiting moderation) are answered from the cache or stored in it.
- Only 200 responses of the views named in ``settings.PAGE_CACHE_VIEWS`` are stored, never one that
  sets a cookie or says ``private`` / ``no-store``.
- An entry is keyed on scheme, host, path and query string, and remembers the version of its path
  and the site-wide generation it was rendered under. ``purge_paths`` gives each path a new
  version, so every query-string variant of it (``/?page=2``) goes stale at once; ``purge_all``
  gives the site a new generation. An entry also dies at the next scheduled publication, because
  a scheduled post appears by its time alone and changes lists it was not yet on.
- With ``MASTHEAD_EDGE_DIR`` set, the same bytes are written as files nginx serves without asking
  Python, and purges delete them; with ``MASTHEAD_PURGE_WEBHOOK`` set, purges POST the absolute
  URLs to it (for a CDN).

The cache is read synchronously, before Django builds a request: by ``PageCacheASGI`` in
production and by ``masthead.core.httpcache.PageCacheMiddleware`` everywhere else.
"""

import hashlib
import json
import logging
import os
import pickle
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.http import parse_etags
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

FRESH_COOKIE = "masthead_fresh"
GENERATION_KEY = "pc:generation"
NEXT_CHANGE_KEY = "pc:next-change"
EDGE_NAMES = {
    "text/html": "index.html",
    "application/rss+xml": "index.rss",
    "application/atom+xml": "index.atom",
}
HOP_HEADERS = {"content-length", "set-cookie", "x-masthead-cache"}


@dataclass
class Entry:
    version: str
    generation: str
    expires_at: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str = ""
    last_modified: str = ""
    raw_headers: list[tuple[bytes, bytes]] = field(default_factory=list)


@dataclass
class Lookup:
    """What a lookup found: a live entry, or the versions a fresh render must be stored under."""

    key: str
    path: str
    query: str
    version: str
    generation: str
    entry: Entry | None = None
    stored: bool = field(default=False)


def conf() -> dict:
    """The settings the hot path reads, copied once: a LazySettings lookup costs a few
    microseconds each, several times per hit (cleared whenever a setting changes)."""
    found = _shared.get("conf")
    if found is None:
        found = _shared["conf"] = {
            "enabled": settings.PAGE_CACHE_SECONDS > 0,
            "bypass": (settings.SESSION_COOKIE_NAME, "messages", FRESH_COOKIE),
            "proxy": settings.SECURE_PROXY_SSL_HEADER,
        }
        proxy = found["proxy"]
        found["proxy_header"] = (
            proxy[0].removeprefix("HTTP_").replace("_", "-").lower().encode() if proxy else b""
        )
    return found


def is_enabled() -> bool:
    return conf()["enabled"]


def bypass_cookies() -> tuple[str, ...]:
    return conf()["bypass"]


def is_personal(cookies) -> bool:
    return any(name in cookies for name in bypass_cookies())


_shared: dict = {}


def _cache():
    """One cache connection per process. ``caches[...]`` is per task under ASGI, which would
    open a new Redis connection pool for every request the fast path answers."""
    cache = _shared.get("cache")
    if cache is None:
        cache = _shared["cache"] = caches.create_connection(settings.PAGE_CACHE_ALIAS)
    return cache


def _read_many(cache, keys: list[str]) -> dict:
    """``cache.get_many`` for the hot path. Django's Redis backend builds a new Redis client
    object on every call, which costs several times the round trip; this keeps one."""
    if isinstance(cache, LocMemCache):
        return _locmem_read_many(cache, keys)
    if not isinstance(cache, RedisCache):
        return cache.get_many(keys)
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    if getattr(cache, "is_resting", bool)():
        return {}
    client = _shared.get("client")
    if client is None:
        client = _shared["client"] = cache._cache.get_client(write=False)
    try:
        values = client.mget([cache.make_key(key) for key in keys])
    except (RedisConnectionError, RedisTimeoutError) as error:
        if hasattr(cache, "rest"):
            cache.rest(error)
        return {}
    loads = cache._cache._serializer.loads
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    _shared.pop("conf", None)
    if setting in {"CACHES", "PAGE_CACHE_ALIAS"}:
        _shared.clear()


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _version_key(path: str) -> str:
    return "pc:v:" + _digest(path)


def _entry_key(scheme: str, host: str, path: str, query: str) -> str:
    return "pc:e:" + _digest(f"{scheme}://{host}{path}?{query}")


def lookup(scheme: str, host: str, path: str, query: str) -> Lookup | None:
    """The cached page for this address, if any; None when the cache cannot be reached."""
    key, version_key = _entry_key(scheme, host, path, query), _version_key(path)
    try:
        cache = _cache()
        found = _read_many(cache, [key, version_key, GENERATION_KEY])
        version, generation = found.get(version_key), found.get(GENERATION_KEY)
        if version is None or generation is None:
            version, generation = _start_versions(cache, version_key, version, generation)
    except Exception:
        logger.exception("Page cache unreachable; serving without it")
        return None
    return _lookup(found, key, path, query, version, generation)


def _lookup(found: dict, key, path, query, version, generation) -> "Lookup":
    """The lookup, holding the entry only if it belongs to the current version and generation."""
    result = Lookup(key, path, query, version, generation)
    entry = found.get(key)
    if (
        entry is not None
        and entry.version == version
        and entry.generation == generation
        and entry.expires_at > time.time()
    ):
        result.entry = entry
    return result


def _locmem_read_many(cache, keys: list[str]) -> dict:
    # LocMemCache.get_many validates each key character by character; these are hex digests.
    found = {}
    for key in keys:
        value = _locmem_get(cache, cache.make_key(key))
        if value is not _MISSING:
            found[key] = value
    return found


_MISSING = object()
_UNPICKLED_KEEP = 128  # the most-read entries; each holds a page beside its pickled copy
_unpickled: OrderedDict[str, tuple[bytes, object]] = OrderedDict()
_unpickled_lock = threading.Lock()


def _locmem_get(cache, made_key: str):
    with cache._lock:
        if cache._has_expired(made_key):
            cache._delete(made_key)
            return _MISSING
        pickled = cache._cache[made_key]
        cache._cache.move_to_end(made_key, last=False)
    # A hit unpickled the same stored bytes last time: reuse that (the bytes object is held
    # here, so "is" cannot match a newer value). Entries are only read once made.
    with _unpickled_lock:
        seen = _unpickled.get(made_key)
        if seen is not None and seen[0] is pickled:
            _unpickled.move_to_end(made_key)
            return seen[1]
    value = pickle.loads(pickled)  # noqa: S301 (our own entries, as LocMemCache does)
    with _unpickled_lock:
        _unpickled[made_key] = (pickled, value)
        _unpickled.move_to_end(made_key)
        while len(_unpickled) > _UNPICKLED_KEEP:
            _unpickled.popitem(last=False)
    return value


async def alookup(scheme: str, host: str, path: str, query: str) -> Lookup | None:
    """``lookup`` for the event loop: Redis is read without blocking the loop while it answers.

    Anything unusual (versions not yet set, Redis unreachable) returns None and leaves the
    request to Django, whose middleware runs the full ``lookup``.
    """
    cache = _cache()
    if not isinstance(cache, RedisCache):
        return lookup(scheme, host, path, query)
    key, version_key = _entry_key(scheme, host, path, query), _version_key(path)
    found = await _aread_many(cache, [key, version_key, GENERATION_KEY])
    version, generation = found.get(version_key), found.get(GENERATION_KEY)
    if version is None or generation is None:
        return None
    return _lookup(found, key, path, query, version, generation)


async def _aread_many(cache, keys: list[str]) -> dict:
    import asyncio

    import redis.asyncio

    if getattr(cache, "is_resting", bool)():
        return {}
    loop = asyncio.get_running_loop()
    shared = _shared.get("async")
    if shared is None or shared[0] is not loop:
        options = {
            name: value
            for name, value in cache._options.items()
            if name in {"socket_connect_timeout", "socket_timeout"}
        }
        shared = _shared["async"] = (
            loop,
            redis.asyncio.Redis.from_url(cache._servers[0], **options),
        )
    try:
        values = await shared[1].mget([cache.make_key(key) for key in keys])
    except (redis.asyncio.ConnectionError, redis.asyncio.TimeoutError, OSError) as error:
        if hasattr(cache, "rest"):
            cache.rest(error)
        return {}
    loads = cache._cache._serializer.loads
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


def _start_versions(cache, version_key, version, generation) -> tuple[str, str]:
    # Versions are random, never counters: one evicted and made again cannot match old entries.
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, timeout=_version_timeout())
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    found = cache.get_many([version_key, GENERATION_KEY])
    return found.get(version_key, ""), found.get(GENERATION_KEY, "")


def _version_timeout() -> int:
    return max(settings.PAGE_CACHE_SECONDS * 4, 86400)


def store(found: Lookup, *, status: int, headers, body: bytes, content_type: str) -> None:
    """Keep a rendered page under the versions seen before it was rendered."""
    seconds = settings.PAGE_CACHE_SECONDS
    expires_at = time.time() + seconds
    next_change = next_change_at()
    if next_change is not None:
        expires_at = min(expires_at, next_change)
        _watch_schedule(next_change)
    if expires_at <= time.time() or not found.version:
        return
    kept = [(name, value) for name, value in headers if name.lower() not in HOP_HEADERS]
    lowered = {name.lower(): value for name, value in kept}
    entry = Entry(
        version=found.version,
        generation=found.generation,
        expires_at=expires_at,
        status=status,
        headers=kept,
        body=body,
        etag=lowered.get("etag", ""),
        last_modified=lowered.get("last-modified", ""),
        raw_headers=[
            *((name.encode("latin-1"), value.encode("latin-1")) for name, value in kept),
            (b"x-masthead-cache", b"hit"),
            (b"content-length", str(len(body)).encode()),
        ],
    )
    try:
        _cache().set(found.key, entry, timeout=int(expires_at - time.time()) + 1)
    except Exception:
        logger.exception("Page cache unreachable; page not stored")
        return
    found.stored = True
    if settings.EDGE_DIR:
        edge_write(found, body, content_type)


def is_not_modified(entry: Entry, if_none_match: str, if_modified_since: str) -> bool:
    if if_none_match:
        etags = parse_etags(if_none_match)
        weak = entry.etag.removeprefix("W/")
        return bool(entry.etag) and (
            etags == ["*"] or any(tag.removeprefix("W/") == weak for tag in etags)
        )
    return bool(if_modified_since) and if_modified_since == entry.last_modified


def not_modified_headers(entry: Entry) -> list[tuple[str, str]]:
    keep = {"cache-control", "etag", "last-modified", "expires", "vary", "content-location"}
    return [(name, value) for name, value in entry.headers if name.lower() in keep]


# Schedules: a scheduled post appears at its time with no request to tell us.


def next_change_at() -> float | None:
    """When the next scheduled publication is due (a POSIX time), cached until it passes."""
    cache, now = _cache(), time.time()
    try:
        cached = cache.get(NEXT_CHANGE_KEY)
    except Exception:
        return None
    if cached is not None and (cached == 0 or cached > now):
        return cached or None
    when = import_string(settings.PAGE_CACHE_NEXT_CHANGE)()
    value = when.timestamp() if when is not None else 0
    cache.set(NEXT_CHANGE_KEY, value, timeout=settings.PAGE_CACHE_SECONDS or 1)
    return value or None


def forget_next_change() -> None:
    _cache().delete(NEXT_CHANGE_KEY)


_watch = {"at": None, "timer": None}
_watch_lock = threading.Lock()


def _watch_schedule(at: float) -> None:
    """Files at the edge and a CDN do not expire by themselves: purge them when a post is due."""
    if not (settings.EDGE_DIR or settings.PURGE_WEBHOOK):
        return
    with _watch_lock:
        if _watch["at"] is not None and _watch["at"] <= at:
            return
        if _watch["timer"] is not None:
            _watch["timer"].cancel()
        timer = threading.Timer(max(at - time.time(), 0) + 0.05, _came_due_in_thread, args=[at])
        timer.daemon = True
        _watch.update(at=at, timer=timer)
        timer.start()


def schedule_came_due(at: float) -> None:
    """Run the purge of what became public at ``at``, once across all processes."""
    with _watch_lock:
        _watch.update(at=None, timer=None)
    try:
        if _cache().add(f"pc:due:{at}", 1, timeout=3600):
            import_string(settings.PAGE_CACHE_ON_CHANGE_DUE)(at)
    except Exception:
        logger.exception("Purging the pages of a scheduled publication failed")


def _came_due_in_thread(at: float) -> None:
    from django.db import connections

    try:
        schedule_came_due(at)
    finally:
        connections.close_all()


# Purges.


def purge_paths(paths) -> None:
    """Make every cached variant of these paths stale, delete their edge files, tell the CDN."""
    paths = sorted(set(paths))
    if not paths:
        return
    cache = _cache()
    cache.set_many(
        {_version_key(path): uuid.uuid4().hex for path in paths}, timeout=_version_timeout()
    )
    cache.delete(NEXT_CHANGE_KEY)
    if settings.EDGE_DIR:
        for path in paths:
            edge_delete(path)
    notify_webhook([settings.SITE_URL + path for path in paths])


def purge_all() -> None:
    """Everything goes stale: for changes that show on every page (a term renamed, an author)."""
    cache = _cache()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    cache.delete(NEXT_CHANGE_KEY)
    if settings.EDGE_DIR:
        edge_clear()
    notify_webhook([settings.SITE_URL + "/*"])


def notify_webhook(urls: list[str]) -> threading.Thread | None:
    """POST the changed URLs to the CDN's purge hook, in the background, with a short timeout."""
    if not settings.PURGE_WEBHOOK:
        return None
    thread = threading.Thread(target=_post_webhook, args=[settings.PURGE_WEBHOOK, urls])
    thread.daemon = True
    thread.start()
    return thread


def _post_webhook(url: str, urls: list[str]) -> None:
    if urlsplit(url).scheme not in {"http", "https"}:
        logger.error("MASTHEAD_PURGE_WEBHOOK must be an http(s) URL")
        return
    body = json.dumps({"urls": urls}).encode()
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PURGE_WEBHOOK_TIMEOUT):  # noqa: S310
            pass
    except Exception:
        logger.exception("Purge webhook failed for %d URLs", len(urls))


# Edge publishing: files that nginx serves directly, named after the path and the content type.


def _edge_root() -> Path:
    return Path(settings.EDGE_DIR)


def edge_file(path: str, content_type: str) -> Path | None:
    if ".." in path or "//" in path or "\\" in path or "\x00" in path or not path.startswith("/"):
        return None
    root = _edge_root()
    if path.endswith("/"):
        name = EDGE_NAMES.get(content_type.split(";")[0].strip())
        return root / path.strip("/") / name if name else None
    return root / path.lstrip("/")


def _edge_candidates(path: str) -> list[Path]:
    if path.endswith("/"):
        return [p for p in (edge_file(path, kind) for kind in EDGE_NAMES) if p is not None]
    single = edge_file(path, "")
    return [single] if single is not None else []


def edge_write(found: Lookup, body: bytes, content_type: str) -> None:
    target = edge_file(found.path, content_type)
    if target is None or found.query:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)  # nginx reads these
        os.replace(temporary, target)
    except OSError:
        logger.exception("Could not write the edge file %s", target)
        return
    _arm_edge_sweep()
    # A purge that ran while this page rendered must not leave the old page behind at the edge.
    current = _cache().get_many([_version_key(found.path), GENERATION_KEY])
    if (
        current.get(_version_key(found.path)) != found.version
        or current.get(GENERATION_KEY) != found.generation
    ):
        target.unlink(missing_ok=True)


def edge_delete(path: str) -> None:
    for candidate in _edge_candidates(path):
        candidate.unlink(missing_ok=True)


def edge_clear() -> None:
    root = _edge_root()
    if not root.is_dir():
        return
    for directory, _, files in os.walk(root):
        for name in files:
            (Path(directory) / name).unlink(missing_ok=True)


_sweep: dict = {"timer": None}


def _arm_edge_sweep() -> None:
    """Edge files outlive the entries they copy unless something removes them, and pages may
    hold things that age (a comment form's signed timestamp): every process that writes them
    sweeps out those older than the page cache's lifetime."""
    with _watch_lock:
        if _sweep["timer"] is not None:
            return
        timer = threading.Timer(max(settings.PAGE_CACHE_SECONDS / 2, 5), _sweep_and_rearm)
        timer.daemon = True
        _sweep["timer"] = timer
        timer.start()


def _sweep_and_rearm() -> None:
    with _watch_lock:
        _sweep["timer"] = None
    try:
        edge_sweep()
    except OSError:
        logger.exception("Sweeping the edge directory failed")
    _arm_edge_sweep()


def edge_sweep() -> int:
    """Delete edge files older than the page cache's lifetime; how many went."""
    root, removed = _edge_root(), 0
    cutoff = time.time() - settings.PAGE_CACHE_SECONDS
    if not settings.EDGE_DIR or not root.is_dir():
        return 0
    for directory, _, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    return removed
