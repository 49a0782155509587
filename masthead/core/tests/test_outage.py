"""With the database away, readers get a styled 503 with Retry-After, and the site recovers."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory

from masthead.core import outage, views
from masthead.core.tests.ports import free_port

SERVER_START_SECONDS = 30


def _assert_styled_503(status, headers, body):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]
    assert "We'll be back in a moment" in body
    assert "masthead/site.css" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


class Outage:
    """Every query fails while ``down``; ``connection_lost`` says whether the connection itself
    is gone (database stopped) or only queries fail (say, a lock timeout)."""

    def __init__(self, monkeypatch):
        self.down = True
        self.connection_lost = False
        self.queries_tried = 0
        execute, executemany = CursorWrapper.execute, CursorWrapper.executemany

        def guarded(real):
            def run(cursor, *args, **kwargs):
                self.queries_tried += 1
                if self.down:
                    raise OperationalError("connection to server failed: Connection refused")
                return real(cursor, *args, **kwargs)

            return run

        monkeypatch.setattr(CursorWrapper, "execute", guarded(execute))
        monkeypatch.setattr(CursorWrapper, "executemany", guarded(executemany))
        monkeypatch.setattr(outage, "_connection_alive", lambda: not self.connection_lost)


@pytest.fixture
def database_down(monkeypatch):
    return Outage(monkeypatch)


@pytest.mark.django_db
def test_a_query_that_cannot_reach_the_database_answers_503(client, database_down):
    response = client.get("/")
    _assert_styled_503(response.status_code, response, response.content.decode())


@pytest.mark.django_db
def test_health_check_answers_503_while_the_database_is_away(client, database_down):
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_after_a_lost_connection_views_answer_at_once_then_try_again(
    client, database_down, monkeypatch
):
    database_down.connection_lost = True
    assert client.get("/").status_code == 503
    database_down.down = False
    tried = database_down.queries_tried
    response = client.get("/")
    _assert_styled_503(response.status_code, response, response.content.decode())
    assert database_down.queries_tried == tried, "the pause should not touch the database"
    later = outage.monotonic() + outage.DatabaseUnavailableMiddleware.PAUSE + 1
    monkeypatch.setattr(outage, "monotonic", lambda: later)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_failed_query_on_a_live_connection_does_not_pause_the_site(client, database_down):
    assert client.get("/").status_code == 503
    database_down.down = False
    assert client.get("/").status_code == 200


def test_an_outage_outside_a_view_still_gets_the_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    _assert_styled_503(response.status_code, response, response.content.decode())


def test_other_errors_stay_a_500():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = views.server_error(request)
    assert response.status_code == 500


@pytest.mark.django_db
def test_bugs_are_not_dressed_up_as_outages(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("masthead.publishing.views.selectors.post_list_published", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


class TcpRelay:
    """A port that forwards to the real database and can be cut off and restored at will."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self):
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for source, target in [(client, server), (server, client)]:
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def running_site(tmp_path, database_url: str):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    env.pop("REDIS_URL", None)
    env |= {"DATABASE_URL": database_url, "MASTHEAD_VAR_DIR": str(tmp_path), "MASTHEAD_DEBUG": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "masthead.asgi:application", "--port", str(port),
         "--host", "127.0.0.1", "--lifespan", "off", "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the site did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str):
    try:
        # Generous: the first request into an outage may wait out the connection pool's timeout.
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_a_site_whose_database_is_unreachable_serves_the_503(tmp_path):
    closed = free_port()
    with running_site(tmp_path, f"postgres://masthead@127.0.0.1:{closed}/masthead") as site:
        _assert_styled_503(*_get(site + "/search/?q=harbour"))
        status, _, _ = _get(site + "/healthz")
        assert status == 503


# Transactional, so the rows the site writes through the relay are flushed afterwards.
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL)",
)
def test_the_site_recovers_by_itself_when_postgresql_returns(tmp_path):
    database = connection.settings_dict
    relay = TcpRelay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    relay.start()
    user = database["USER"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    url = f"postgres://{user}{password}@127.0.0.1:{relay.port}/{database['NAME']}"
    try:
        with running_site(tmp_path, url) as site:
            assert _get(site + "/search/?q=harbour")[0] == 200
            relay.stop()
            _assert_styled_503(*_get(site + "/search/?q=harbour"))
            relay.start()
            statuses = []
            # Bounded: the pause after the outage (5 s) plus the pool reconnecting.
            for _ in range(120):
                statuses.append(_get(site + "/search/?q=harbour")[0])
                if statuses[-1] == 200:
                    break
                time.sleep(0.25)
            assert statuses[-1] == 200, statuses
            assert set(statuses) <= {200, 503}
    finally:
        relay.stop()
