import pytest
from django.core.cache import cache
from django.test import Client

from masthead.api.tests.factories import make_token


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    """Tests that are about limits set their own, on counters no earlier test has touched."""
    cache.clear()
    settings.API_RATE_LIMIT = 10_000
    settings.API_TOKEN_RATE_LIMIT = 10_000
    settings.API_COMMENT_RATE_LIMIT = 10_000
    settings.SEARCH_RATE_LIMIT = 10_000
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Accounts are made by the dozen here; a slow password hash would only cost time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ApiClient(Client):
    """A test client that speaks JSON and may carry a token."""

    def __init__(self, token: str | None = None, **kwargs):
        if token:
            kwargs.setdefault("headers", {})["Authorization"] = f"Bearer {token}"
        super().__init__(**kwargs)

    def send(self, method: str, path: str, data=None, **kwargs):
        if data is None:
            # No body at all, as a client that sends none (the test client would send a form).
            return self.generic(method.upper(), path, b"", **kwargs)
        call = getattr(self, method.lower())
        return call(path, data, content_type="application/json", **kwargs)


@pytest.fixture
def api():
    return ApiClient()


@pytest.fixture
def token_client():
    def build(*scopes: str, **kwargs) -> ApiClient:
        token, raw = make_token(*scopes, **kwargs)
        client = ApiClient(raw)
        client.token = token
        return client

    return build


@pytest.fixture(autouse=True)
def _approving_pipeline(settings):
    """Comments are approved unless a test says otherwise, whatever moderation is configured."""
    settings.COMMENT_PIPELINE = "masthead.discussion.pipeline.default_decision"
