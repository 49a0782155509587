"""Who may open what: ?next= stays on the site, and admin pages need their permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_never_follows_next_off_the_site(target):
    UserFactory(username="editor", staff=True)
    response = Client().post(
        "/admin/login/?next=" + target,
        {"username": "editor", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_signing_in_follows_next_within_the_site():
    UserFactory(username="editor", staff=True)
    response = Client().post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD, "next": "/admin/publishing/post/"},
    )
    assert response["Location"] == "/admin/publishing/post/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_out_never_follows_next_off_the_site(client, target):
    client.force_login(UserFactory(staff=True))
    response = client.post("/admin/logout/?next=" + target)
    assert not response.get("Location", "").startswith(("https://evil", "//", "javascript"))
    assert "evil.example" not in response.get("Location", "")


def test_the_password_reset_pages_ignore_next(client):
    response = client.post(
        "/account/password-reset/?next=https://evil.example/", {"email": "a@example.org"}
    )
    assert response["Location"] == "/account/password-reset/sent/"


ADMIN_PAGES = ["/admin/", "/admin/publishing/post/", "/admin/people/user/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_strangers_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_signed_in_readers_who_are_not_staff(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_only_what_their_permissions_allow(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    post = PostFactory()
    assert client.get("/admin/publishing/post/").status_code == 200
    assert client.get("/admin/people/user/").status_code == 403
    assert client.get("/admin/publishing/post/add/").status_code == 403
    delete = client.post(f"/admin/publishing/post/{post.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    post.refresh_from_db()


def test_staff_without_permissions_cannot_open_user_accounts(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/people/user/").status_code == 403
    assert client.get("/admin/people/user/add/").status_code == 403


def test_draft_previews_need_staff(client):
    post = PostFactory()
    url = post.get_preview_url()
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(staff=True))
    assert client.get(url).status_code == 200
