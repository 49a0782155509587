"""Readers behind nginx configured as docs/deploy.md says: what it serves from the edge files
Masthead writes, and what it passes to Masthead."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings

from masthead.core.tests.pagecache_fixtures import edge_dir, page_cache  # noqa: F401
from masthead.core.tests.ports import free_port
from masthead.publishing.tests.factories import PostFactory

DEPLOY = settings.BASE_DIR / "docs" / "deploy.md"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nginx(live_server, edge_dir, tmp_path):  # noqa: F811
    """nginx on a free port, with the configuration and header snippet of docs/deploy.md, in
    front of the live server."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (make test installs it)")
    server, headers = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(), re.S)[:2]
    port, app_port = free_port(), live_server.url.rsplit(":", 1)[1]
    (tmp_path / "masthead-edge.conf").write_text(headers)
    server = (
        server.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{app_port};")
        .replace("server 127.0.0.1:8002;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("/etc/nginx/snippets/masthead-edge.conf", str(tmp_path / "masthead-edge.conf"))
        .replace("/srv/masthead/edge", str(edge_dir))
        .replace("/srv/masthead/var/", f"{tmp_path}/var/")
    )
    temporary = "\n".join(
        f" {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # its workers read the test's files
        + "pcre_jit on;\n"  # as docs/deploy.md asks, outside every block
        + f"worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n include /etc/nginx/mime.types;\n access_log off;\n"
        f"{temporary}\n{server}\n}}\n"
    )
    edge_dir.mkdir(parents=True, exist_ok=True)
    edge_dir.chmod(0o755)
    process = subprocess.Popen(  # noqa: S603
        ["nginx", "-c", str(config), "-g", "daemon off;"],  # noqa: S607
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"nginx did not start: {process.stderr.read().decode()}"
                ) from None
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def _get(port: int, path: str, method: str = "GET", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_a_page_is_served_from_the_edge_once_masthead_has_written_it(nginx, edge_dir):  # noqa: F811
    url = PostFactory(published=True, title="Harbour sale goes ahead").get_absolute_url()
    first, body = _get(nginx, url)
    assert (first.status, first.getheader("X-Masthead-Cache")) == (200, "miss")
    assert (edge_dir / url.strip("/") / "index.html").read_bytes() == body
    again, same = _get(nginx, url)
    assert (again.status, again.getheader("X-Masthead-Cache"), same) == (200, "edge", body)
    assert again.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "s-maxage=600" in again.getheader("Cache-Control")
    assert "frame-ancestors 'none'" in again.getheader("Content-Security-Policy")
    assert _get(nginx, url, method="HEAD")[0].getheader("X-Masthead-Cache") == "edge"


def test_feeds_and_files_are_served_from_the_edge_with_their_types(nginx, edge_dir):  # noqa: F811
    PostFactory(published=True)
    for path, kind in [
        ("/feed/", "application/rss+xml"),
        ("/feed/atom/", "application/atom+xml"),
        ("/sitemap.xml", "application/xml"),
    ]:
        assert _get(nginx, path)[0].getheader("X-Masthead-Cache") == "miss"
        served, body = _get(nginx, path)
        assert served.getheader("X-Masthead-Cache") == "edge", path
        assert served.getheader("Content-Type").startswith(kind), path
        assert body.startswith(b"<?xml"), path


def test_what_is_personal_asked_with_a_query_or_not_written_goes_to_masthead(nginx, edge_dir):  # noqa: F811
    post = PostFactory(published=True, title="Ferry fares rise again")
    url = post.get_absolute_url()
    _get(nginx, url)
    assert _get(nginx, url)[0].getheader("X-Masthead-Cache") == "edge"
    for headers in ({"Cookie": "sessionid=abc"}, {"Cookie": "masthead_fresh=1"}):
        served, body = _get(nginx, url, headers=headers)
        assert served.getheader("X-Masthead-Cache") != "edge", headers
        assert b"Ferry fares rise again" in body
    served, _ = _get(nginx, url + "?utm_source=newsletter")
    assert served.status == 200 and served.getheader("X-Masthead-Cache") != "edge"
    # Masthead's CSRF check answers a POST; nginx would have refused it with a 405 of its own.
    posted, _ = _get(nginx, url, method="POST")
    assert posted.status == 403 and posted.getheader("X-Masthead-Cache") is None
    missing, body = _get(nginx, "/2020/1/1/no-such-post/")
    assert missing.status == 404 and missing.getheader("X-Masthead-Cache") is None
    # Masthead, not nginx, answers the address without its slash: its redirect keeps the host.
    moved, _ = _get(nginx, url.rstrip("/"))
    assert (moved.status, moved.getheader("Location")) == (301, url)
