"""Tokens in the admin: shown once in a message after saving, stored hashed, revocable."""

import pytest
from django.contrib.messages import get_messages

from masthead.api import services
from masthead.api.models import ApiToken
from masthead.api.tests.factories import make_token
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="chief", staff=True))
    return client


def test_adding_a_token_shows_it_once(staff_client):
    owner = UserFactory(username="app-user", staff=True)
    response = staff_client.post(
        "/admin/api/apitoken/add/",
        {"user": owner.pk, "name": "Newsroom app", "scopes": ["read", "publish"]},
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "copy it now" in str(m)]
    raw = next(word for word in message.split() if word.startswith("mh_"))
    token = services.token_find(raw)
    assert token.name == "Newsroom app" and token.user == owner
    assert token.scopes == ["publish", "read"]
    change = f"/admin/api/apitoken/{token.pk}/change/"
    assert raw in staff_client.get(change).content.decode()  # the message, once
    page = staff_client.get(change).content.decode()
    assert raw not in page and f"mh_{token.prefix}_" in page


def test_the_admin_refuses_scopes_the_user_may_not_hold(staff_client):
    reader = UserFactory(username="reader")
    response = staff_client.post(
        "/admin/api/apitoken/add/", {"user": reader.pk, "name": "x", "scopes": ["moderate"]}
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoking_from_the_list(staff_client):
    token, raw = make_token("read")
    staff_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert services.token_find(raw) is None
