import http.server
import io
import threading
from pathlib import Path

import pytest
from PIL import Image as Picture

from masthead.importers import media
from masthead.importers.wordpress import wordpress_import
from masthead.media.models import Image

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/a.jpg",
        "http://localhost/a.jpg",
        "http://10.0.0.5/a.jpg",
        "http://192.168.1.1/a.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.jpg",
        "file:///etc/passwd",
        "ftp://example.org/a.jpg",
    ],
)
def test_private_loopback_and_other_schemes_are_never_fetched(url):
    with pytest.raises(media.MediaRefusedError):
        media.public_address_or_raise(url)


@pytest.fixture
def picture_server():
    buffer = io.BytesIO()
    Picture.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    body = buffer.getvalue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/gulls.png"
    server.shutdown()


@pytest.mark.django_db
def test_fetch_media_refuses_a_loopback_address_and_keeps_importing(picture_server, tmp_path):
    sample = (DATA / "harbour-1.2.xml").read_text()
    wxr = tmp_path / "local.xml"
    wxr.write_text(
        sample.replace(
            "https://gazette.example.org/wp-content/uploads/2026/03/gulls.jpg", picture_server
        )
    )
    report = wordpress_import(wxr, fetch_media=media.fetch_into)
    assert any("not a public address" in warning for warning in report.warnings)
    image = Image.objects.get()
    assert not image.file and image.source_url == picture_server


@pytest.mark.django_db
def test_fetch_media_stores_the_file_when_the_host_is_public(picture_server, tmp_path, monkeypatch):
    monkeypatch.setattr(media, "public_address_or_raise", lambda url: None)  # the server is local
    sample = (DATA / "harbour-1.2.xml").read_text()
    wxr = tmp_path / "local.xml"
    wxr.write_text(
        sample.replace(
            "https://gazette.example.org/wp-content/uploads/2026/03/gulls.jpg", picture_server
        )
    )
    wordpress_import(wxr, fetch_media=media.fetch_into)
    image = Image.objects.get()
    assert image.file and image.width == 40
