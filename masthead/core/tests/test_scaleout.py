"""Two `masthead serve` processes, one PostgreSQL, one Redis: a comment posted through one is on
the other's cached page at once, because the purge reaches the cache they share."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import redis
from django.core import signing
from django.db import connection

from masthead.core.tests.ports import free_port
from masthead.discussion.forms import TIMESTAMP_SALT
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL, as in make test-postgres)",
)

HOST = "news.example.org"
SECRET_KEY = secrets.token_urlsafe(50)
START_SECONDS = 90
AT_ONCE_SECONDS = 5
# The production settings on cache keys of their own, so nothing else using this Redis meets them.
SETTINGS = """from masthead.settings import *  # noqa: F403

CACHES["default"]["KEY_PREFIX"] = {prefix!r}  # noqa: F405
"""


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Masthead-Cache", "")


@dataclass
class Reader:
    """One browser behind the load balancer: its cookies, sent to whichever process answers."""

    cookies: dict = field(default_factory=dict)

    def get(self, port: int, path: str, **headers) -> Reply:
        return self._send(port, "GET", path, None, headers)

    def post(self, port: int, path: str, form: dict) -> Reply:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{HOST}",
        }
        return self._send(port, "POST", path, urlencode(form), headers)

    def _send(self, port, method, path, body, headers) -> Reply:
        headers = {"Host": HOST, **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        server = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            server.request(method, path, body=body, headers=headers)
            response = server.getresponse()
            reply = Reply(response.status, response.headers, response.read().decode())
        finally:
            server.close()
        for line in reply.headers.get_all("Set-Cookie") or []:
            self.cookies |= {name: morsel.value for name, morsel in SimpleCookie(line).items()}
        return reply


def _environment(tmp_path, prefix: str) -> dict:
    (tmp_path / "scaleout_settings.py").write_text(SETTINGS.format(prefix=prefix))
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DATABASE_URL"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "scaleout_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")])),
        "DATABASE_URL": f"postgres://{database['USER']}{password}@{address}/{database['NAME']}",
        "MASTHEAD_SECRET_KEY": SECRET_KEY,
        "MASTHEAD_ALLOWED_HOSTS": HOST,
        "MASTHEAD_SITE_URL": f"http://{HOST}",
        "MASTHEAD_DB_POOL_SIZE": "2",
        # A guest's comment is published at once, so the purge it causes is the one tested; the
        # first-time hold and the spam model have tests of their own.
        "MASTHEAD_HOLD_FIRST_TIME": "0",
        "MASTHEAD_SPAM_HOLD_THRESHOLD": "1.01",
        "MASTHEAD_SPAM_THRESHOLD": "1.01",
    }


def _start(env: dict, var_dir) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = (var_dir.parent / f"{var_dir.name}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env | {"MASTHEAD_VAR_DIR": str(var_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process, port


def _wait_until_serving(process, port: int, log_path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        with contextlib.suppress(OSError):
            if Reader().get(port, "/healthz").status == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"masthead serve did not start:\n{log_path.read_text()}")
        time.sleep(0.2)


def _stop(process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _forget_keys(prefix: str) -> None:
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def two_sites(transactional_db, tmp_path):
    """The ports of two app processes sharing this test's database and one Redis key space.

    Transactional, so the processes see the rows this test commits, and what they write is
    flushed afterwards."""
    prefix = f"masthead-scaleout-{uuid.uuid4().hex[:12]}"
    env = _environment(tmp_path, prefix)
    started = []
    try:
        for name in ("a", "b"):
            started.append((*_start(env, tmp_path / name), tmp_path / f"{name}.log"))
        for process, port, log_path in started:
            _wait_until_serving(process, port, log_path)
        yield [port for _, port, _ in started]
    finally:
        for process, _, _ in started:
            _stop(process)
        _forget_keys(prefix)


def _cached(reader: Reader, port: int, path: str) -> Reply:
    deadline = time.monotonic() + AT_ONCE_SECONDS
    while (reply := reader.get(port, path)).cache != "hit":
        assert reply.status == 200, reply.text
        assert time.monotonic() < deadline, "the page was never served from the cache"
    return reply


def _comment_through(port: int, post, body: str, name: str) -> None:
    """Post a comment the way a browser does: the form fragment first, for its CSRF token."""
    reader = Reader()
    fragment = reader.get(port, f"/comments/{post.slug}/form/", **{"HX-Request": "true"})
    assert fragment.status == 200, fragment.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fragment.text)[1]
    # Signed as the form signs it, a minute back: the reader took that long to write.
    drawn = signing.dumps([post.pk, int(time.time()) - 60], salt=TIMESTAMP_SALT, key=SECRET_KEY)
    form = {
        "csrfmiddlewaretoken": token,
        "timestamp": drawn,
        "name": name,
        "email": f"{name.lower()}@example.org",
        "body": body,
        "homepage": "",
    }
    reply = reader.post(port, f"/comments/{post.slug}/", form)
    assert reply.status == 302, reply.text
    comment = Comment.objects.get(post=post, name=name)
    assert comment.status == CommentStatus.APPROVED, comment.status_reason


def _shows_at_once(port: int, path: str, body: str) -> list[str]:
    """What the process answered until the page showed ``body``, and the answer after that."""
    reader, seen = Reader(), []
    deadline = time.monotonic() + AT_ONCE_SECONDS
    while True:
        reply = reader.get(port, path)
        seen.append(reply.cache)
        if body in reply.text:
            return [*seen, reader.get(port, path).cache]
        assert time.monotonic() < deadline, f"not shown after {AT_ONCE_SECONDS} s: {Counter(seen)}"
        time.sleep(0.1)


def test_a_comment_posted_through_one_process_is_on_the_others_cached_page(two_sites):
    a, b = two_sites
    post = PostFactory(published=True, title="Harbour plan across two processes")
    page = post.get_absolute_url()
    first = "The council should publish the harbour survey before the vote."
    second = "Agreed, and the minutes of the March meeting too."
    assert first not in _cached(Reader(), b, page).text

    _comment_through(a, post, first, "Ada")
    # Purged, not left to expire: B renders the page again (a miss) and caches it again.
    assert _shows_at_once(b, page, first) == ["miss", "hit"]

    _cached(Reader(), a, page)
    _comment_through(b, post, second, "Grace")
    assert _shows_at_once(a, page, second) == ["miss", "hit"]
