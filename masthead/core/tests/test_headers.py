"""Security headers on every page, and a production configuration that passes Django's review."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from masthead.core.headers import permissions_policy_header
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([^']+)'")


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_carry_a_strict_content_security_policy(client):
    post = PostFactory(published=True)
    response = client.get(post.get_absolute_url())
    directives = _directives(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' https:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_the_json_ld_block_carries_the_responses_nonce(client):
    post = PostFactory(published=True)
    response = client.get(post.get_absolute_url())
    (nonce,) = set(NONCE.findall(_directives(response)["script-src"]))
    html = response.content.decode()
    assert f'<script type="application/ld+json" nonce="{nonce}">' in html
    # Scripts from the site's own files need no nonce; anything inline must carry it.
    assert not re.search(r"<script(?![^>]*(nonce|src)=)", html)


def test_each_response_gets_its_own_nonce(client):
    post = PostFactory(published=True)
    first = NONCE.findall(client.get(post.get_absolute_url())["Content-Security-Policy"])
    second = NONCE.findall(client.get(post.get_absolute_url())["Content-Security-Policy"])
    assert first and second and first != second


def test_other_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_no_hsts_on_a_plain_http_site(client):
    assert not settings.SITE_URL.startswith("https://")
    assert "Strict-Transport-Security" not in client.get("/", secure=True)


def test_permissions_policy_header_format():
    header = permissions_policy_header({"camera": [], "fullscreen": ["self"]})
    assert header == "camera=(), fullscreen=(self)"


def _production_env(tmp_path, **extra) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    return clean | {
        "MASTHEAD_VAR_DIR": str(tmp_path),
        "MASTHEAD_SECRET_KEY": secrets.token_urlsafe(60),
        "MASTHEAD_ALLOWED_HOSTS": "news.example.org",
        "MASTHEAD_SITE_URL": "https://news.example.org",
        "MASTHEAD_EMAIL_HOST": "smtp.example.org",
        **extra,
    }


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        ["-m", "masthead.cli", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(SERVER_NAME="news.example.org")
secure = client.get("/admin/login/", secure=True)
plain = client.get("/admin/login/")
print(json.dumps({
    "hsts": secure.get("Strict-Transport-Security"),
    "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def test_an_https_site_sends_hsts_secure_cookies_and_redirects_http(tmp_path):
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="masthead.settings")
    result = _run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["cookies"]["csrftoken"]["secure"] is True
    assert seen["cookies"]["csrftoken"]["samesite"] == "Lax"
    assert seen["session_cookie_secure"] is True
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://news.example.org/admin/login/"
