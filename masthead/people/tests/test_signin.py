"""Sign-in lockout (django-axes): per account name and per address, and silent about accounts."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client

from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/"


def _fail(client, username, times):
    return [
        client.post(LOGIN, {"username": username, "password": "wrong guess"}) for _ in range(times)
    ]


def _client(address):
    return Client(REMOTE_ADDR=address)


def test_wrong_passwords_lock_the_account_name_with_a_429(settings):
    UserFactory(username="editor", staff=True)
    responses = _fail(_client("203.0.113.1"), "editor", settings.AXES_FAILURE_LIMIT)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Sign-in paused" in locked.content.decode()


def test_a_locked_account_name_stays_locked_from_another_address_even_with_the_password():
    UserFactory(username="editor", staff=True)
    _fail(_client("203.0.113.1"), "editor", settings.AXES_FAILURE_LIMIT)
    response = _client("198.51.100.2").post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429


def test_one_address_guessing_across_accounts_is_locked():
    client = _client("203.0.113.3")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"someone{number}", "password": "wrong guess"})
    UserFactory(username="editor", staff=True)
    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    # The editor, from their own address, is not affected.
    response = _client("198.51.100.4").post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lockout_looks_the_same_for_real_and_unknown_account_names():
    UserFactory(username="editor", staff=True)
    known = _fail(_client("203.0.113.5"), "editor", settings.AXES_FAILURE_LIMIT)
    unknown = _fail(_client("203.0.113.6"), "nobody-here", settings.AXES_FAILURE_LIMIT)
    for real, made_up in zip(known, unknown, strict=True):
        assert real.status_code == made_up.status_code
        assert real.get("Retry-After") == made_up.get("Retry-After")
        assert _strip_tokens(real) == _strip_tokens(made_up)


def _strip_tokens(response):
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r"'nonce-[^']+'|nonce=\"[^\"]+\"", "", html)
    return re.sub(r'value="(editor|nobody-here)"', 'value="NAME"', html)


def test_failures_are_recorded_in_the_database():
    _fail(_client("203.0.113.7"), "editor", 2)
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.failures_since_start == 2
    assert attempt.ip_address == "203.0.113.7"


def test_a_successful_sign_in_clears_earlier_failures():
    UserFactory(username="editor", staff=True)
    client = _client("203.0.113.8")
    _fail(client, "editor", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302
    client.logout()
    assert _fail(client, "editor", 1)[0].status_code == 200


def test_code_without_a_request_still_authenticates():
    user = UserFactory(username="scripted")
    assert authenticate(username="scripted", password=PASSWORD) == user
    assert Client().login(username="scripted", password=PASSWORD)
