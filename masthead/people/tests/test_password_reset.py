"""Password reset: the same answer for every address, a rate limit, and a link to the real site."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from masthead.people.models import User
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/account/password-reset/"
PASSWORD = "correct horse battery staple"


def test_the_reset_form_lives_under_account_and_the_admin_links_to_it(client):
    assert reverse("admin_password_reset") == RESET
    assert client.get(RESET).status_code == 200
    login = client.get("/admin/login/").content.decode()
    assert f'href="{RESET}"' in login


def test_known_and_unknown_addresses_get_the_same_answer():
    UserFactory(username="editor", email="editor@example.org")
    known = Client(REMOTE_ADDR="203.0.113.1").post(RESET, {"email": "editor@example.org"})
    unknown = Client(REMOTE_ADDR="203.0.113.2").post(RESET, {"email": "ghost@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("people:password-reset-done")
    done = Client().get(known["Location"])
    assert "If an account uses that address" in done.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@example.org"]


def test_the_mailed_link_uses_the_site_url_not_the_request_host(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["news.example.org", "evil.example"]
    UserFactory(username="editor", email="editor@example.org")
    Client(HTTP_HOST="evil.example").post(RESET, {"email": "editor@example.org"})
    (message,) = mail.outbox
    assert "https://news.example.org/account/password-reset/" in message.body
    assert "evil.example" not in message.body


def test_the_link_sets_a_new_password_and_lifts_a_lockout(settings):
    user = UserFactory(username="editor", email="editor@example.org", staff=True)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "editor", "password": "wrong guess"})
    assert AccessAttempt.objects.filter(username="editor").exists()

    client = Client(REMOTE_ADDR="198.51.100.1")
    client.post(RESET, {"email": "editor@example.org"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "a brand new harbour password"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("people:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert not AccessAttempt.objects.filter(username="editor").exists()
    signed_in = client.post("/admin/login/", {"username": "editor", "password": new_password})
    assert signed_in.status_code == 302


def test_a_used_or_forged_link_says_so(client):
    response = client.get("/account/password-reset/MQ/forged-token/")
    assert "This link no longer works" in response.content.decode()


@pytest.mark.usefixtures("one_rate_window")
def test_reset_requests_are_limited_per_address(settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [
        client.post(RESET, {"email": f"reader{n}@example.org"}).status_code for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.usefixtures("one_rate_window")
def test_reset_requests_are_limited_per_email_the_same_for_known_and_unknown(settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    UserFactory(username="editor", email="editor@example.org")
    answers = {}
    for email in ["editor@example.org", "ghost@example.org"]:
        responses = [
            Client(REMOTE_ADDR=f"198.51.100.{n}").post(RESET, {"email": email.upper()})
            for n in range(3)
        ]
        answers[email] = [(r.status_code, r.get("Retry-After") is not None) for r in responses]
        limited = responses[-1]
    assert answers["editor@example.org"] == answers["ghost@example.org"]
    assert answers["ghost@example.org"] == [(302, False), (302, False), (429, True)]
    assert int(limited["Retry-After"]) > 0
    assert "Slow down, please" in limited.content.decode()
    assert len(mail.outbox) == 2


def test_the_form_page_is_styled_like_the_site(client):
    html = client.get(RESET).content.decode()
    assert "masthead/site.css" in html
    assert "Reset your password" in html
    assert 'class="site-header"' in html
    assert User.objects.count() == 0
