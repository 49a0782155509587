"""``masthead token``: made once and printed once, listed without secrets, revoked."""

import io

import pytest
from django.core.management import CommandError, call_command

from masthead.api import services
from masthead.api.models import ApiToken
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_token_once_and_stores_its_hash():
    UserFactory(username="moddy", staff=True)
    out, err = run("create", "--user", "moddy", "--scope", "moderate", "--scope", "publish",
                   "--expires-days", "30")  # fmt: skip
    raw = out.strip()
    token = services.token_find(raw)
    assert token.scopes == ["moderate", "publish"]
    assert token.expires_at is not None
    assert raw not in err and "shown once" in err
    assert raw.split("_", 2)[2] not in token.secret_hash


def test_list_shows_no_secret():
    UserFactory(username="moddy", staff=True)
    raw = run("create", "--user", "moddy", "--scope", "read")[0].strip()
    out, _ = run("list")
    assert ApiToken.objects.get().prefix in out
    assert raw not in out


def test_revoke():
    UserFactory(username="moddy", staff=True)
    raw = run("create", "--user", "moddy", "--scope", "read")[0].strip()
    prefix = ApiToken.objects.get().prefix
    assert "Revoked" in run("revoke", prefix)[0]
    assert services.token_find(raw) is None
    assert "revoked" in run("list")[0]


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--user", "nobody", "--scope", "read"],
        ["create", "--user", "reader", "--scope", "moderate"],
        ["create", "--user", "reader", "--scope", "comment", "--expires-days", "0"],
        ["revoke", "deadbeef"],
    ],
)
def test_refusals(args):
    UserFactory(username="reader")
    with pytest.raises(CommandError):
        run(*args)
    assert not ApiToken.objects.exists()
